using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using MiniCC.Twilio.Security;
using MiniCC.Voice;

namespace MiniCC.Security;

public static partial class WebhookSecurity
{
    public const string Realm = "MiniCC";

    /// <summary>
    /// The webhooks' protection as the server applies it; its settings are bound with every other by
    /// AddMiniCCSettings, and in Production unprotected webhooks stop the server (a verb serves none).
    /// </summary>
    public static IServiceCollection AddWebhookSecurity(this IServiceCollection services)
    {
        services.AddSingleton<IValidateOptions<WebhookSecurityOptions>, WebhooksProtectedInProduction>();
        services.AddOptions<ForwardedHeadersOptions>().Configure<IOptions<WebhookSecurityOptions>>((f, security) =>
        {
            if (security.Value.TrustedProxies.Count == 0)
            {
                return;
            }

            f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
            f.KnownProxies.Clear();
            f.KnownIPNetworks.Clear();
            foreach (var ip in security.Value.ProxyAddresses())
            {
                f.KnownProxies.Add(ip);
            }

            foreach (var network in security.Value.ProxyNetworks())
            {
                f.KnownIPNetworks.Add(network);
            }
        });
        return services;
    }

    /// <summary>Believes X-Forwarded-* only from the configured proxies, so the signed URL can be rebuilt.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<IOptions<WebhookSecurityOptions>>().Value;
        return options.TrustedProxies.Count > 0 ? app.UseForwardedHeaders() : app;
    }

    /// <summary>Says loudly, at start, when the webhooks accept anyone.</summary>
    public static void WarnIfUnprotected(IServiceProvider services)
    {
        var security = services.GetRequiredService<IOptions<WebhookSecurityOptions>>().Value;
        if (string.IsNullOrEmpty(services.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken) && !security.HasBasicAuth)
        {
            Unprotected(services.GetRequiredService<ILoggerFactory>().CreateLogger("MiniCC.Security"));
        }
    }

    public static RouteGroupBuilder RequireTwilio(this RouteGroupBuilder group) => group.AddEndpointFilter<TwilioAuthFilter>();

    [LoggerMessage(Level = LogLevel.Warning, Message = """
        !!! The webhooks are NOT protected: neither Twilio:AuthToken nor MiniCC:BasicAuth is set, so anyone who can
        !!! reach this server can pose as Twilio. Fine for trying MiniCC out; set Twilio__AuthToken before going live.
        """)]
    private static partial void Unprotected(ILogger logger);
}

/// <summary>
/// Checks every webhook before any flow runs: HTTP Basic auth (with Twilio's 401 challenge) and
/// X-Twilio-Signature, each when configured. Nothing is recorded for a request that fails.
/// </summary>
public sealed partial class TwilioAuthFilter(IOptions<TwilioOptions> twilio, IOptions<WebhookSecurityOptions> security,
    IOptions<VoiceOptions> voice, ILogger<TwilioAuthFilter> log) : IEndpointFilter
{
    private string? AuthToken => twilio.Value.AuthToken;

    private BasicAuthOptions BasicAuth => security.Value.BasicAuth;

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var request = context.Arguments.OfType<TwilioRequest>().FirstOrDefault();

        // A body that could not be read at all (too large, not a form) is refused as such, first.
        if (request is { StatusCode: StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType })
        {
            return await next(context);
        }

        if (security.Value.HasBasicAuth && !BasicAuthMatches(http.Request.Headers.Authorization.ToString()))
        {
            var had = http.Request.Headers.Authorization.Count > 0;
            if (had)
            {
                Refused(log, http.Request.Path, 401, "wrong Basic credentials");
            }

            http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{WebhookSecurity.Realm}\"";
            return Results.Text(had ? "The Basic credentials are wrong.\n" : "Authentication required.\n",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (!string.IsNullOrEmpty(AuthToken))
        {
            var signature = http.Request.Headers[RequestSignature.HeaderName].ToString();
            var reason = signature.Length == 0
                ? "X-Twilio-Signature is missing."
                : SignatureMatches(http, request?.SignedForm ?? [], signature)
                    ? null
                    : "X-Twilio-Signature does not match this URL and these parameters.";
            if (reason is not null)
            {
                Refused(log, http.Request.Path, 403, reason);
                return Results.Text(reason + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
            }
        }

        return await next(context);
    }

    /// <summary>
    /// The URL Twilio requested, as it saw it: the public base (or the forwarded scheme and host) plus the
    /// path and query exactly as they came on the request line.
    /// </summary>
    public static string PublicUrl(HttpRequest request, string? publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pathAndQuery = RawPathAndQuery(request);
        return string.IsNullOrEmpty(publicBaseUrl)
            ? $"{request.Scheme}://{request.Host.Value}{pathAndQuery}"
            : publicBaseUrl.TrimEnd('/') + pathAndQuery;
    }

    /// <summary>
    /// The request target as sent: Twilio signs <c>/voice/%69ncoming</c> as written, while ASP.NET's Path is
    /// decoded (<c>/voice/incoming</c>). Falls back to PathBase + Path + QueryString when the server keeps no raw target.
    /// </summary>
    private static string RawPathAndQuery(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 } && raw[0] == '/')
        {
            return raw;
        }

        // Absolute form (GET http://host/path HTTP/1.1, as proxies may send): what follows the authority.
        var scheme = raw?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (scheme > 0)
        {
            var path = raw!.IndexOfAny(['/', '?'], scheme + 3);
            return path < 0 ? "/" : raw[path] == '?' ? "/" + raw[path..] : raw[path..];
        }

        return request.PathBase.Value + request.Path.Value + request.QueryString.Value;
    }

    private bool SignatureMatches(HttpContext http, IReadOnlyList<KeyValuePair<string, string>> form, string signature)
    {
        var url = PublicUrl(http.Request, voice.Value.PublicBaseUrl);
        if (RequestSignature.IsValid(AuthToken!, url, form, signature))
        {
            return true;
        }

        // Twilio's docs say credentials are removed before signing; its libraries sign them as given. Accept both.
        if (security.Value.HasBasicAuth)
        {
            var at = url.IndexOf("://", StringComparison.Ordinal) + 3;
            var withCredentials = url[..at] + Uri.EscapeDataString(BasicAuth.Username!) + ":" +
                                  Uri.EscapeDataString(BasicAuth.Password!) + "@" + url[at..];
            return RequestSignature.IsValid(AuthToken!, withCredentials, form, signature);
        }

        return false;
    }

    private bool BasicAuthMatches(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes($"{BasicAuth.Username}:{BasicAuth.Password}");
        // Compare fixed-length digests so that neither the content nor the length leaks through timing.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused webhook {Path} with {Status}: {Reason}")]
    private static partial void Refused(ILogger logger, string path, int status, string reason);
}
