using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Security;
using MiniCC.Storage;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Desk;

/// <summary>A break reason as the desk offers it.</summary>
public sealed record DeskReason(string Key, string Ja, string En);

/// <summary>
/// An operator's state as the desk shows it: <see cref="OnLine"/> when their desk (or phone) is in the loop;
/// <see cref="WrapUpEndsAt"/> while in wrap-up.
/// </summary>
public sealed record DeskState(
    string State, string? Reason, DateTimeOffset? Since, DateTimeOffset? WrapUpEndsAt, bool OnLine, IReadOnlyList<DeskReason> Reasons);

/// <summary>
/// The desk's state buttons: <c>GET /desk/state</c>, and <c>POST /desk/state</c> (form <c>state</c> = ready|break,
/// <c>reason</c>) for the signed-in operator. A change in wrap-up or on break is stored now and the loop's next check
/// (within <c>MiniCC:OperatorStates:HoldSeconds</c>) follows it. A break asked for while ready is answered 409 with
/// <c>reconnect</c>: the desk calls again with those parameters, which ends its wait in the queue at once — a caller
/// could otherwise still be handed over during the rest of that wait.
/// </summary>
public static class DeskStateEndpoints
{
    public const string StatePath = "/desk/state";

    /// <summary>The desk's live stream: a "desk" event (a <see cref="DeskView"/> as JSON) at once and on every change.</summary>
    public const string EventsPath = "/desk/events";

    public static IServiceCollection AddDeskFeed(this IServiceCollection services)
    {
        services.AddSingleton<ScreenPopQuery>();
        services.AddSingleton<DeskFeed>();
        return services;
    }

    public static IEndpointRouteBuilder MapDeskState(this IEndpointRouteBuilder app)
    {
        app.MapGet(StatePath, async (HttpContext http, UserStore users, OperatorStateStore states, IOptions<DeskOptions> desk,
            IOptions<OperatorStateOptions> options, CancellationToken ct) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            if (await DeskEndpoints.OperatorOfAsync(http, users, desk, ct) is not { } op)
            {
                return DeskEndpoints.Refused(desk);
            }

            return Results.Json(Of(await states.OfOperatorAsync(op.Id, ct), options.Value));
        }).RequireAuthorization();

        app.MapGet(EventsPath, async (HttpContext http, UserStore users, DeskFeed feed, IOptions<DeskOptions> desk, CancellationToken ct) =>
            await DeskEndpoints.OperatorOfAsync(http, users, desk, ct) is { } op
                ? TypedResults.ServerSentEvents(Frames(feed, op.Id, ct), eventType: "desk")
                : DeskEndpoints.Refused(desk)).RequireAuthorization();

        app.MapPost(StatePath, async (HttpContext http, IAntiforgery af, UserStore users, OperatorStateStore states, Recorder recorder,
            IOptions<DeskOptions> desk, IOptions<OperatorStateOptions> options, TimeProvider time, CancellationToken ct) =>
        {
            http.Response.Headers.CacheControl = "no-store";
            if (!await af.IsRequestValidAsync(http))
            {
                return Error(StatusCodes.Status400BadRequest, "The antiforgery token is missing or wrong: reload the page.");
            }

            if (await DeskEndpoints.OperatorOfAsync(http, users, desk, ct) is not { } op)
            {
                return DeskEndpoints.Refused(desk);
            }

            IFormCollection form;
            try
            {
                form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : FormCollection.Empty;
            }
            catch (InvalidDataException)
            {
                // A value ASP.NET will not decode (a NUL), or a form over its limits.
                return Error(StatusCodes.Status400BadRequest, "The form cannot be read.");
            }

            var wanted = form["state"].ToString();
            var reason = options.Value.Reasons.FirstOrDefault(r => r.Key == form["reason"].ToString());
            if (wanted is not (OperatorStates.Ready or OperatorStates.Break) || (wanted == OperatorStates.Break && reason is null))
            {
                return Error(StatusCodes.Status400BadRequest, "state must be ready, or break with a reason from MiniCC:OperatorStates:BreakReasons.");
            }

            var now = await states.OfOperatorAsync(op.Id, ct);
            if (now?.State is null or OperatorStates.Offline || now.CallSid is null)
            {
                return Error(StatusCodes.Status409Conflict, "The desk is not on line: go on line first.");
            }

            if (now.State == OperatorStates.OnCall)
            {
                return Error(StatusCodes.Status409Conflict, "On a call: the state changes after it (in wrap-up).");
            }

            if (wanted == OperatorStates.Break && now.State == OperatorStates.Ready)
            {
                // The custom parameters of the Voice SDK's connect(), named as /voice/client reads them.
                return Results.Json(new { error = "Waiting in the queue: call again to start the break.", reconnect = new Dictionary<string, string> { ["State"] = wanted, ["Reason"] = reason!.Key } },
                    statusCode: StatusCodes.Status409Conflict);
            }

            if (wanted == OperatorStates.Ready && now.State == OperatorStates.Ready)
            {
                return Results.Json(Of(now, options.Value));
            }

            var at = time.GetUtcNow().ToUnixTimeMilliseconds();
            var hook = VoiceWebhook.Parse([KeyValuePair.Create("CallSid", (IReadOnlyList<string?>)[now.CallSid]),
                KeyValuePair.Create("From", (IReadOnlyList<string?>)["client:" + DeskEndpoints.IdentityOf(op.Id)])]).Webhook!;
            var change = new CurrentState
            {
                OperatorId = op.Id, State = wanted, Reason = reason?.Key, StartedAt = at, CallSid = now.CallSid, Cause = "desk",
            };
            await recorder.RecordAsync(new OperatorStateChanged
            {
                Hook = hook, At = at, Id = Guid.NewGuid().ToString("N"), OperatorId = op.Id, State = wanted, Reason = reason?.Key, Cause = "desk",
            });
            return Results.Json(Of(change, options.Value));
        }).RequireAuthorization().DisableAntiforgery();
        return app;
    }

    private static async IAsyncEnumerable<string> Frames(DeskFeed feed, long operatorId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var view in feed.WatchAsync(operatorId, ct))
        {
            yield return System.Text.Json.JsonSerializer.Serialize(view, System.Text.Json.JsonSerializerOptions.Web);
        }
    }

    /// <summary>The desk's view of a state (offline when there is none).</summary>
    public static DeskState Of(CurrentState? s, OperatorStateOptions o)
    {
        var state = s?.State ?? OperatorStates.Offline;
        DateTimeOffset? since = s?.StartedAt is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return new DeskState(state, s?.Reason, since,
            state == OperatorStates.WrapUp ? since?.AddSeconds(o.WrapUpSeconds) : null,
            state != OperatorStates.Offline && s?.CallSid is not null,
            [.. o.Reasons.Select(r => new DeskReason(r.Key, r.Ja, r.En))]);
    }

    private static IResult Error(int status, string message) => Results.Json(new { error = message }, statusCode: status);
}
