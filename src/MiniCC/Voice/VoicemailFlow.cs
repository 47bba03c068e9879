using Microsoft.Extensions.Options;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;
using MiniCC.Voicemail;

namespace MiniCC.Voice;

/// <summary>
/// Voicemail: the prompt and its <c>&lt;Record&gt;</c>, the Record's action, and the recording status callback. Whoever
/// sends the caller here (closed, nobody signed in, a long wait, a key) says why in the <c>reason</c> of the URL; the
/// URL is signed by Twilio with it, so an unknown reason is not a caller's doing but a wrong link, and is refused (400)
/// rather than stored as some other reason.
/// </summary>
public sealed partial class VoicemailFlow(CallFlow calls, IOptions<VoicemailOptions> options, Recorder recorder, TimeProvider time,
    ILogger<VoicemailFlow> log)
{
    /// <summary>Seconds of silence that end a message (Twilio's default; a pause to think is shorter).</summary>
    public const int SilenceSeconds = 5;

    private readonly VoicemailOptions _o = options.Value;


    /// <summary>Why a request for a route that carries a reason cannot be answered, or null.</summary>
    public static string? ReasonRefusal(string? reason) =>
        VoicemailReasons.IsKnown(reason) ? null : $"The query's reason must be one of {string.Join(", ", VoicemailReasons.All)}.";

    /// <summary>The prompt and the Record (<c>/voice/voicemail?reason=</c>, in the call's <c>lang=</c>); a goodbye while voicemail is off.</summary>
    public async Task<VoiceResponse> OfferAsync(VoiceWebhook hook, string reason, string? language, CancellationToken ct)
    {
        var p = calls.PromptsFor(language);
        if (!_o.Enabled)
        {
            return new VoiceResponse().Say(p.VoicemailOff, p.Voice, p.Language).Hangup();
        }

        await recorder.RecordAsync(new VoicemailOffered { Hook = hook, At = Now, Id = HistoryEvent.IdFor(hook), Reason = reason });
        var query = "?reason=" + Uri.EscapeDataString(reason) + calls.LanguageQuery(language);
        return new VoiceResponse()
            .Say(p.VoicemailPrompt, p.Voice, p.Language)
            .Record(new RecordOptions
            {
                Action = calls.Url(VoiceRoutes.VoicemailRecorded) + query,
                Method = "POST",
                MaxLength = _o.MaxLengthSeconds,
                Timeout = SilenceSeconds,
                FinishOnKey = "#",
                PlayBeep = true,
                RecordingStatusCallback = calls.Url(VoiceRoutes.RecordingStatus),
                RecordingStatusCallbackMethod = "POST",
                RecordingStatusCallbackEvent = "completed absent",
            })
            // Reached only when Twilio does not request the action (an empty recording, in older documentation).
            .Say(p.VoicemailNothing, p.Voice, p.Language)
            .Hangup();
    }

    /// <summary>The Record's action: thanks when there is a message, otherwise say nothing was heard; the call ends either way.</summary>
    public async Task<VoiceResponse> RecordedAsync(VoiceWebhook hook, string reason, string? language, CancellationToken ct)
    {
        var p = calls.PromptsFor(language);
        await recorder.RecordAsync(new VoicemailRecorded { Hook = hook, At = Now, Id = HistoryEvent.IdFor(hook), Reason = reason });
        var left = hook.RecordingUrl is not null && hook.RecordingDuration is not 0;
        if (left)
        {
            MessageLeft(log, hook.CallSid, reason, hook.RecordingDuration ?? 0);
        }

        return new VoiceResponse().Say(left ? p.VoicemailThanks : p.VoicemailNothing, p.Voice, p.Language).Hangup();
    }

    /// <summary>The recording status callback (answered 204).</summary>
    public Task RecordingStatusAsync(VoiceWebhook hook, CancellationToken ct) =>
        recorder.RecordAsync(new RecordingStatusChanged { Hook = hook, At = Now, Id = HistoryEvent.IdFor(hook) });

    /// <summary>Why a status callback cannot be stored (a 400 with this reason), or null.</summary>
    public static string? StatusRefusal(VoiceWebhook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return VoicemailRows.RecordingProblem(hook) is { } problem ? problem + "."
            : hook.RecordingSid is null ? "RecordingSid is missing."
            : hook.RecordingStatus is not { } s || !VoicemailStatuses.Reported.Contains(s)
                ? $"RecordingStatus must be one of {string.Join(", ", VoicemailStatuses.Reported)}."
            : null;
    }

    /// <summary>As the webhook filter answers what is not a webhook: a 400 with the reason (logged), and nothing recorded.</summary>
    public IResult Refuse(PathString path, string reason)
    {
        Refused(log, path, reason);
        return Results.Text(reason + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected webhook {Path} with 400: {Reason}")]
    private static partial void Refused(ILogger logger, string path, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} left a voicemail ({Reason}, {Seconds} s)")]
    private static partial void MessageLeft(ILogger logger, string callSid, string reason, int seconds);
}

/// <summary>The voicemail webhooks, on the voice group (signed, parsed, refused with a reason when not Twilio's).</summary>
public static class VoicemailHooks
{
    private static readonly string[] Methods = ["GET", "POST"];

    public static RouteGroupBuilder MapVoicemailHooks(this RouteGroupBuilder voice)
    {
        ArgumentNullException.ThrowIfNull(voice);
        voice.MapMethods(VoiceRoutes.Voicemail, Methods, async (TwilioRequest r, VoicemailFlow f, HttpRequest http, CancellationToken ct) =>
            VoicemailFlow.ReasonRefusal(Reason(http)) is { } refusal
                ? f.Refuse(http.Path, refusal)
                : TwimlResult.From(await f.OfferAsync(r.Hook, Reason(http)!, VoiceEndpoints.LanguageOf(http), ct)));
        voice.MapMethods(VoiceRoutes.VoicemailRecorded, Methods, async (TwilioRequest r, VoicemailFlow f, HttpRequest http, CancellationToken ct) =>
            (VoicemailFlow.ReasonRefusal(Reason(http)) ?? WithStop(VoicemailRows.RecordingProblem(r.Hook))) is { } refusal
                ? f.Refuse(http.Path, refusal)
                : TwimlResult.From(await f.RecordedAsync(r.Hook, Reason(http)!, VoiceEndpoints.LanguageOf(http), ct)));
        voice.MapMethods(VoiceRoutes.RecordingStatus, Methods, async (TwilioRequest r, VoicemailFlow f, HttpRequest http, CancellationToken ct) =>
        {
            if (VoicemailFlow.StatusRefusal(r.Hook) is { } refusal)
            {
                return f.Refuse(http.Path, refusal);
            }

            await f.RecordingStatusAsync(r.Hook, ct);
            return Results.NoContent();
        });
        return voice;
    }

    /// <summary>The reason MiniCC put in the URL (one value), or null.</summary>
    private static string? Reason(HttpRequest http) => http.Query["reason"] is { Count: 1 } r ? r.ToString() : null;

    private static string? WithStop(string? problem) => problem is null ? null : problem + ".";

}
