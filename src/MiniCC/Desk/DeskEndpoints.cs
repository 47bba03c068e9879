using Microsoft.Extensions.Options;
using MiniCC.Security;
using MiniCC.Twilio.Tokens;

namespace MiniCC.Desk;

/// <summary>
/// The operator's desk: an access token for the Voice JavaScript SDK, for a signed-in user who is an active operator.
/// The identity is the server's (<c>operator_&lt;id&gt;</c>), never the browser's.
/// </summary>
public static class DeskEndpoints
{
    public const string TokenPath = "/desk/token";

    /// <summary>The sounds the Voice SDK plays (<see cref="DeskSounds"/>): <c>/desk/sounds/incoming.wav</c>, ….</summary>
    public const string SoundsPath = "/desk/sounds/";

    /// <summary>
    /// The desk page's Content-Security-Policy: the site's own, and the Voice SDK's connections to Twilio (its signaling
    /// WebSocket, wss://voice-js.&lt;edge&gt;.twilio.com, and its call-quality reports, https://eventgw[.&lt;region&gt;].twilio.com;
    /// the SDK's README lists them). The call's audio is WebRTC, which a policy does not govern; the SDK plays it from a
    /// MediaStream (blob: where a browser lacks srcObject). Its sounds come from MiniCC (<see cref="SoundsPath"/>).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self' wss://*.twilio.com https://*.twilio.com; " +
        "media-src 'self' mediastream: blob:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    /// <summary>The Voice SDK identity of an operator: what <c>client:</c> calls name and the TwiML App sees as <c>From</c>.</summary>
    public static string IdentityOf(long operatorId) => "operator_" + operatorId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static IEndpointRouteBuilder MapDesk(this IEndpointRouteBuilder app)
    {
        app.MapGet(TokenPath, async (HttpContext http, UserStore users, IOptions<DeskOptions> desk, IOptions<TwilioOptions> twilio, TimeProvider time,
            CancellationToken ct) =>
        {
            // A token is a credential: never kept by a cache or a proxy.
            http.Response.Headers.CacheControl = "no-store";
            if (await OperatorOfAsync(http, users, desk, ct) is not { } op)
            {
                return Refused(desk);
            }

            var t = twilio.Value;
            var now = time.GetUtcNow();
            var ttl = TimeSpan.FromMinutes(desk.Value.TokenTtlMinutes);
            var identity = IdentityOf(op.Id);
            var token = AccessToken.Create(t.AccountSid!, t.ApiKeySid!, t.ApiKeySecret!, identity, new VoiceGrant(true, t.TwimlAppSid), now, ttl);
            return Results.Json(new { identity, token, expiresAt = now + ttl });
        }).RequireAuthorization();

        app.MapGet(SoundsPath + "{name}.wav", (string name, HttpContext http, IOptions<DeskOptions> desk) =>
        {
            if (!desk.Value.Enabled || !DeskSounds.All.TryGetValue(name, out var wav))
            {
                return Results.NotFound();
            }

            // The same bytes for ever: kept by the browser, not fetched again by each page load.
            http.Response.Headers.CacheControl = "private, max-age=604800";
            return Results.File(wav, "audio/wav");
        }).RequireAuthorization();
        return app;
    }

    /// <summary>The signed-in user's operator when the desk is on and they are linked to an active one (read fresh: never a cache).</summary>
    internal static async Task<Operators.Operator?> OperatorOfAsync(HttpContext http, UserStore users, IOptions<DeskOptions> desk, CancellationToken ct) =>
        desk.Value.Enabled ? await users.ActiveOperatorAsync(http.User.Identity?.Name ?? "", ct) : null;

    /// <summary>Why <see cref="OperatorOfAsync"/> found no operator: 404 while the desk is off, 403 for anyone who is not an active operator.</summary>
    internal static IResult Refused(IOptions<DeskOptions> desk) =>
        desk.Value.Enabled
            ? Results.Json(new { error = "This user is not an active operator (minicc users link <name> --operator <phone>)." },
                statusCode: StatusCodes.Status403Forbidden)
            : Results.Json(new { error = "The desk is off (MiniCC:Desk:Enabled)." }, statusCode: StatusCodes.Status404NotFound);
}
