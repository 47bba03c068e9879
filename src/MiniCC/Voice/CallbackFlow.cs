using System.Globalization;
using Microsoft.Extensions.Options;
using MiniCC.Callbacks;
using MiniCC.Operators;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>
/// A caller asks to be called back: a key in the queue's wait document (<c>*</c>), or 1 when no operator is signed in.
/// The caller confirms their caller ID or keys in a number (anonymous numbers must), the request is recorded with the
/// time they entered the queue (their place), and a caller in the queue leaves it (<c>&lt;Leave&gt;</c>). The wait
/// document's other key (<c>#</c>) leaves the queue for a voicemail.
/// </summary>
public sealed partial class CallbackFlow(
    CallFlow flow,
    CallbackStore store,
    Recorder recorder,
    IOptions<VoiceOptions> voice,
    IOptions<CallbackOptions> options,
    TimeProvider time,
    ILogger<CallbackFlow> log)
{
    private readonly VoiceOptions _v = voice.Value;
    private readonly CallbackOptions _o = options.Value;

    /// <summary>Where a request comes from: the queue's wait document (the caller is still queued) or the no-operator choice.</summary>
    public enum Place
    {
        Queue,
        Menu,
    }

    /// <summary>A key pressed in the wait document. The caller is still in the queue, and stays there unless they chose to leave it.</summary>
    public async Task<VoiceResponse> WaitKeyAsync(VoiceWebhook hook, Context context, CancellationToken ct)
    {
        switch (hook.Digits)
        {
            case "*" when _o.Enabled:
                return await StartAsync(hook, context, ct);
            case "#" when flow.VoicemailEnabled:
                await recorder.RecordAsync(new QueueLeaving { Hook = hook, At = Now, Id = HistoryEvent.IdFor(hook), Reason = QueueLeaving.Voicemail });
                return new VoiceResponse().Leave();
            default:
                return BackToWait(context);
        }
    }

    /// <summary>The caller's choice when no operator is signed in: 1 a callback, 2 a voicemail; nothing (or anything else) queues them.</summary>
    public async Task<VoiceResponse> NoOperatorAsync(VoiceWebhook hook, string? queue, string? language, CancellationToken ct)
    {
        var context = new Context(Place.Menu, Entry: 1, Since: Now, queue, language);
        var p = flow.PromptsFor(language);
        return hook.Digits switch
        {
            "1" when _o.Enabled => await StartAsync(hook, context, ct),
            "2" when flow.VoicemailEnabled => new VoiceResponse().Redirect(flow.Url(VoiceRoutes.Voicemail) + "?reason=no-operator" + flow.LanguageQuery(language), "POST"),
            _ => flow.EnqueueCaller(new VoiceResponse().Say(p.Connecting, p.Voice, p.Language), flow.Queues.Find(queue), language),
        };
    }

    /// <summary>The confirmation (1 yes, 2 another number) or the keyed number (<paramref name="keyed"/>).</summary>
    public async Task<VoiceResponse> NumberAsync(VoiceWebhook hook, Context context, bool keyed, int attempt, CancellationToken ct)
    {
        if (!_o.Enabled)
        {
            return BackToWait(context);
        }

        if (!keyed)
        {
            return hook.Digits switch
            {
                "1" when CallerNumber(hook) is { } own => await AcceptAsync(hook, context, own, ct),
                "2" => KeyIn(new VoiceResponse(), context, attempt: 1),
                _ => BackToWait(context),
            };
        }

        // Only digits reach here (the webhook's Digits is digits, * and #): a * or # inside, or a wrong length, is no number.
        var number = hook.Digits is { Length: > 0 } d && d.All(char.IsAsciiDigit) ? PhoneNumber.Normalize(d, _v.DefaultCountryCode, out _) : null;
        if (number is not null)
        {
            return await AcceptAsync(hook, context, number, ct);
        }

        var p = flow.PromptsFor(context.Language);
        var r = new VoiceResponse().Say(p.CallbackNotANumber, p.Voice, p.Language);
        return attempt < _o.KeyInTries ? KeyIn(r, context, attempt + 1) : BackToWait(context, r);
    }

    private async Task<VoiceResponse> StartAsync(VoiceWebhook hook, Context context, CancellationToken ct)
    {
        var p = flow.PromptsFor(context.Language);
        var own = CallerNumber(hook);
        if (own is not null && await HasOpenAsync(hook, own, ct))
        {
            return BackToWait(context, new VoiceResponse().Say(p.CallbackAlready, p.Voice, p.Language));
        }

        if (own is null)
        {
            return KeyIn(new VoiceResponse(), context, attempt: 1);
        }

        return new VoiceResponse()
            .Gather(new GatherOptions { Input = "dtmf", NumDigits = 1, Timeout = 8, Action = NumberUrl(context, keyed: false, 1), Method = "POST" },
                g => g.Say(string.Format(CultureInfo.InvariantCulture, p.CallbackConfirm, Spoken(own)), p.Voice, p.Language))
            .Redirect(WaitUrl(context), "POST");
    }

    private async Task<VoiceResponse> AcceptAsync(VoiceWebhook hook, Context context, string number, CancellationToken ct)
    {
        var p = flow.PromptsFor(context.Language);
        if (await HasOpenAsync(hook, number, ct))
        {
            return BackToWait(context, new VoiceResponse().Say(p.CallbackAlready, p.Voice, p.Language));
        }

        var now = Now;
        await recorder.RecordAsync(new CallbackRequested
        {
            Hook = hook, At = now, Id = HistoryEvent.IdFor(hook), Number = number, Queue = flow.Queues.Find(context.Queue).Name,
            RequestedAt = Math.Min(context.Since, now),
        });
        CallbackRequestedLog(log, hook.CallSid, context.Place.ToString());
        var r = new VoiceResponse().Say(string.Format(CultureInfo.InvariantCulture, p.CallbackAccepted, Spoken(number)), p.Voice, p.Language);
        if (context.Place == Place.Menu)
        {
            return r.Hangup();
        }

        await recorder.RecordAsync(new QueueLeaving { Hook = hook, At = now, Id = Guid.NewGuid().ToString("N"), Reason = QueueLeaving.Callback });
        return r.Leave();
    }

    /// <summary>True when the number already has a callback waiting; a database that cannot say lets the request through (it is stored once per call).</summary>
    private async Task<bool> HasOpenAsync(VoiceWebhook hook, string number, CancellationToken ct)
    {
        try
        {
            return await store.HasOpenAsync(number, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            ReadFailed(log, ex, hook.CallSid);
            return false;
        }
    }

    private VoiceResponse KeyIn(VoiceResponse r, Context context, int attempt)
    {
        var p = flow.PromptsFor(context.Language);
        return r.Gather(new GatherOptions
            {
                Input = "dtmf", FinishOnKey = "#", Timeout = 10, NumDigits = 16, Action = NumberUrl(context, keyed: true, attempt), Method = "POST",
            }, g => g.Say(p.CallbackKeyIn, p.Voice, p.Language))
            .Redirect(WaitUrl(context), "POST");
    }

    /// <summary>Back to the hold music (still in the queue), or into the queue for a caller who asked from the no-operator choice.</summary>
    private VoiceResponse BackToWait(Context context, VoiceResponse? r = null)
    {
        r ??= new VoiceResponse();
        return context.Place == Place.Menu ? flow.EnqueueCaller(r, flow.Queues.Find(context.Queue), context.Language) : r.Redirect(WaitUrl(context), "POST");
    }

    private string WaitUrl(Context context) =>
        (context.Place == Place.Menu ? flow.Url(VoiceRoutes.NoOperator) : flow.Url(VoiceRoutes.Wait)) + EntryQuery(context, '?');

    private string NumberUrl(Context context, bool keyed, int attempt) =>
        flow.Url(VoiceRoutes.CallbackNumber) + "?at=" + (context.Place == Place.Menu ? "menu" : "queue")
        + "&since=" + context.Since.ToString(CultureInfo.InvariantCulture) + EntryQuery(context, '&')
        + (keyed ? "&keyed=1&try=" + attempt.ToString(CultureInfo.InvariantCulture) : "");

    private string EntryQuery(Context context, char separator) => flow.QueueQuery(flow.Queues.Find(context.Queue), context.Entry, separator, context.Language);

    private string? CallerNumber(VoiceWebhook hook) => PhoneNumber.Normalize(hook.From, _v.DefaultCountryCode, out _);

    /// <summary>A number as a person reads it out: the national form (0…) for the home country, digit by digit.</summary>
    public string Spoken(string e164)
    {
        var national = e164.StartsWith("+" + _v.DefaultCountryCode, StringComparison.Ordinal) ? "0" + e164[(_v.DefaultCountryCode.Length + 1)..] : e164;
        return string.Join(' ', national.ToCharArray());
    }

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Where the request is made, the caller's queue entry, when they entered the queue (unix ms): their place; their queue and language.</summary>
    public sealed record Context(Place Place, int Entry, long Since, string? Queue = null, string? Language = null);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} asked to be called back (from the {Place})")]
    private static partial void CallbackRequestedLog(ILogger logger, string callSid, string place);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallSid}: could not read the callbacks; taking the request as new")]
    private static partial void ReadFailed(ILogger logger, Exception ex, string callSid);
}
