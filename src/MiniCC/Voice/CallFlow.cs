using System.Globalization;
using Microsoft.Extensions.Options;
using MiniCC.Callbacks;
using MiniCC.Operators;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>
/// What each webhook answers, and what it records. Routing never depends on the database succeeding:
/// a failed operator lookup treats the caller as a customer, a failed write is logged and the call goes on.
/// </summary>
public sealed partial class CallFlow(
    IOptions<VoiceOptions> options,
    OperatorLookup operators,
    PinLockout pinLockout,
    WaitVisits waits,
    CallbackStore callbacks,
    OperatorStateStore states,
    IOptions<CallbackOptions> callbackOptions,
    IOptions<MiniCC.Voicemail.VoicemailOptions> voicemailOptions,
    WaitEstimator estimates,
    Recorder recorder,
    Hours.OpeningHours hours,
    MiniCC.Menu.MenuTree menu,
    Queues.QueueDirectory queues,
    TimeProvider time,
    ILogger<CallFlow> log)
{
    private readonly VoiceOptions _o = options.Value;
    private readonly PromptSet _p = PromptSet.From(options.Value);
    private readonly CallbackOptions _callbacks = callbackOptions.Value;

    public PromptSet Prompts => _p;

    /// <summary>The absolute or relative URL of a route, per <c>MiniCC:PublicBaseUrl</c>.</summary>
    public string Url(string route) =>
        string.IsNullOrEmpty(_o.PublicBaseUrl) ? route : _o.PublicBaseUrl.TrimEnd('/') + route;

    /// <summary>How many PIN attempts an operator gets before the call is ended.</summary>
    public const int MaxPinAttempts = 3;

    public async Task<VoiceResponse> IncomingAsync(VoiceWebhook hook, CancellationToken ct)
    {
        var op = await FindOperatorAsync(hook, ct);
        await recorder.RecordAsync(new Incoming { Hook = hook, At = Now, Id = IdFor(hook), OperatorId = op?.Id });
        if (op is null)
        {
            // A customer: the menu. Operators are not turned away while closed: they may sign in to prepare, or to take late callers.
            return await StartMenuAsync(hook, ct);
        }

        if (op.PinHash is not null)
        {
            // A locked PIN is refused whatever is keyed in: say so now rather than ask for it.
            return pinLockout.LockedUntil(op) is { } until ? LockedOut(hook, op, until) : PinPrompt(new VoiceResponse(), attempt: 1);
        }

        return await SignInAsync(hook, op, ct);
    }

    /// <summary>
    /// An operator calling from the desk (the browser): signed in at the desk already, so no PIN; then the same loop as a
    /// phone operator's.
    /// </summary>
    public async Task<VoiceResponse> DeskSignInAsync(VoiceWebhook hook, Operator op, string state, string? reason, CancellationToken ct)
    {
        await recorder.RecordAsync(new Incoming { Hook = hook, At = Now, Id = IdFor(hook), OperatorId = op.Id });
        return await SignInAsync(hook, op, ct, state, reason);
    }

    private async Task<VoiceResponse> SignInAsync(VoiceWebhook hook, Operator op, CancellationToken ct, string state = OperatorStates.Ready,
        string? reason = null)
    {
        await recorder.RecordAsync(new SignIn
        {
            Hook = hook, At = Now, Id = IdFor(hook), OperatorId = op.Id, OperatorPhone = op.Phone, State = state, Reason = reason,
        });
        OperatorRecognised(log, hook.CallSid, op.Phone);
        return new VoiceResponse().Redirect(Url(VoiceRoutes.Operator), "POST");
    }

    /// <summary>Voicemail can be offered (<c>MiniCC:Voicemail:Enabled</c>).</summary>
    public bool VoicemailEnabled => voicemailOptions.Value.Enabled;

    /// <summary>
    /// To the queue; but when no operator is signed in (or all are on a break) and a callback or a voicemail can be
    /// offered, the caller is told at once and offered them. A database that cannot say queues the caller as before.
    /// </summary>
    private async Task<VoiceResponse> ToOperatorAsync(VoiceResponse r, Action<VoiceResponse> say, Queues.QueueSettings queue, string? language, CancellationToken ct)
    {
        if ((_callbacks.Enabled || VoicemailEnabled) && !await AnyOperatorStaffedAsync(queue.Name, ct))
        {
            var lp = PromptsFor(language);
            return r
                .Gather(new GatherOptions { Input = "dtmf", NumDigits = 1, Timeout = 8, Action = Url(VoiceRoutes.NoOperator) + QueueQuery(queue, 1, '?', language), Method = "POST" }, g =>
                {
                    g.Say(lp.NoOperator, lp.Voice, lp.Language);
                    if (_callbacks.Enabled)
                    {
                        g.Say(lp.NoOperatorCallback, lp.Voice, lp.Language);
                    }

                    if (VoicemailEnabled)
                    {
                        g.Say(lp.NoOperatorVoicemail, lp.Voice, lp.Language);
                    }
                })
                .Redirect(Url(VoiceRoutes.NoOperator) + QueueQuery(queue, 1, '?', language), "POST");
        }

        say(r);
        return EnqueueCaller(r, queue, language);
    }

    /// <summary>Whether anyone who serves <paramref name="queue"/> is ready, on a call or in wrap-up; yes when the database cannot say.</summary>
    private async Task<bool> AnyOperatorStaffedAsync(string queue, CancellationToken ct)
    {
        try
        {
            return (await states.StaffedAsync(queue, ct)).Count > 0;
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            ReadFailed(log, ex);
            return true;
        }
    }

    public VoiceResponse Information()
    {
        var r = new VoiceResponse();
        if (string.IsNullOrEmpty(_o.InformationAudioUrl))
        {
            r.Say(_p.Information, _p.Voice, _p.Language);
        }
        else
        {
            r.Play(_o.InformationAudioUrl);
        }

        return r.Say(_p.InformationEnd, _p.Voice, _p.Language).Hangup();
    }

    public Task CallEndedAsync(VoiceWebhook hook, CancellationToken ct) =>
        recorder.RecordAsync(new CallEnd { Hook = hook, At = Now, Id = IdFor(hook) });

    /// <summary>The answer when a flow itself failed: apologise and put the caller through to an operator.</summary>
    public VoiceResponse Trouble(string path) => path switch
    {
        VoiceRoutes.Incoming or VoiceRoutes.Menu or VoiceRoutes.NoInput or VoiceRoutes.Information or VoiceRoutes.NoOperator =>
            Enqueue(new VoiceResponse().Say(_p.Trouble, _p.Voice, _p.Language), queues.Default),
        VoiceRoutes.Wait => new VoiceResponse().Play(_o.HoldMusicUrl),
        VoiceRoutes.OperatorPin => new VoiceResponse().Say(_p.PinLocked, _p.Voice, _p.Language).Hangup(),
        VoiceRoutes.Whisper => new VoiceResponse().Say(_p.Whisper, _p.Voice, _p.Language),
        _ => new VoiceResponse(),
    };

    private async Task<Operator?> FindOperatorAsync(VoiceWebhook hook, CancellationToken ct, bool fresh = false)
    {
        var phone = PhoneNumber.Normalize(hook.From, _o.DefaultCountryCode, out _);
        return phone is null ? null : await operators.FindAsync(phone, hook.CallSid, ct, fresh);
    }

    /// <summary>Now, on the clock the application was given (the emulator's in tests), as an event's time.</summary>
    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>The event's id: Twilio's idempotency token for this delivery (a retry carries the same) when it sent one.</summary>
    private static string IdFor(VoiceWebhook hook) => HistoryEvent.IdFor(hook);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not read the operators' states or the callbacks; the caller goes on as if there were none")]
    private static partial void ReadFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} is operator {Phone}: entering the operator loop")]
    private static partial void OperatorRecognised(ILogger logger, string callSid, string phone);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the queue reported {QueueResult}; the caller was told and put back in the queue")]
    private static partial void QueueErrorRequeued(ILogger logger, string callSid, string queueResult);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallSid}: the queue reported {QueueResult} again; the caller was asked to call again later")]
    private static partial void QueueErrorGaveUp(ILogger logger, string callSid, string queueResult);
}
