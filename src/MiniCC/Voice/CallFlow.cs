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
        if ((_callbacks.Enabled || VoicemailEnabled) && !await AnyOperatorStaffedAsync(ct))
        {
            var lp = PromptsFor(language);
            return r
                .Gather(new GatherOptions { Input = "dtmf", NumDigits = 1, Timeout = 8, Action = Url(VoiceRoutes.NoOperator) + QueueQuery(queue, 1), Method = "POST" }, g =>
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
                .Redirect(Url(VoiceRoutes.NoOperator) + QueueQuery(queue, 1), "POST");
        }

        say(r);
        return EnqueueCaller(r, queue, language);
    }

    private async Task<bool> AnyOperatorStaffedAsync(CancellationToken ct)
    {
        try
        {
            return (await states.StaffedAsync(ct)).Count > 0;
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

    public async Task<VoiceResponse> WaitAsync(VoiceWebhook hook, string? queueName, string? language, int entry, CancellationToken ct)
    {
        var queue = queues.Find(queueName);
        // The caller's language, as the menu left it (lang=): an English queue's callers hear English while they wait.
        var lp = PromptsFor(language);
        if (waits.IsFirst(hook.CallSid, hook.QueueSid, entry))
        {
            await recorder.RecordAsync(new Waiting { Hook = hook, At = Now, Id = IdFor(hook), Queue = queue.Name, QueueEntry = Entry(entry) });
        }

        // Waited as long as the center lets anyone wait: out of the queue, to leave a message.
        if (VoicemailEnabled && (queue.MaxWaitSeconds ?? voicemailOptions.Value.MaxWaitSeconds) is > 0 and var most && hook.QueueTime >= most)
        {
            await recorder.RecordAsync(new QueueLeaving { Hook = hook, At = Now, Id = IdFor(hook), Reason = QueueLeaving.MaxWait });
            return new VoiceResponse().Say(lp.MaxWait, lp.Voice, lp.Language).Leave();
        }

        var since = Now - ((hook.QueueTime ?? 0) * 1000L);
        // QueuePosition was parsed as digits only, so nothing a caller sent is ever spoken back. Callbacks asked for
        // before this caller entered the queue are served first, so they count in the place the caller hears.
        var position = hook.QueuePosition is int p and > 0 ? p + await CallbacksAheadAsync(queue.Name, since, ct) : 0;
        var estimate = position > 0 ? await estimates.PhraseAsync(hook.CallSid, queue.Name, position, lp, ct) : null;
        void Document(Action<string> say, Action<int> pause, Action<string> play)
        {
            if (_o.WaitPauseSeconds > 0)
            {
                pause(_o.WaitPauseSeconds);
            }

            if (position > 0)
            {
                say(string.Format(CultureInfo.InvariantCulture, lp.QueuePosition, position));
            }

            if (estimate is not null)
            {
                say(estimate);
            }

            Speak(queue.Announcement, lp, (text, _, _) => say(text), play);

            if (_callbacks.Enabled)
            {
                say(lp.CallbackOffer);
            }

            if (VoicemailEnabled)
            {
                say(lp.VoicemailOffer);
            }

            play(queue.HoldMusicUrl ?? _o.HoldMusicUrl);
        }

        var r = new VoiceResponse();
        if (!_callbacks.Enabled && !VoicemailEnabled)
        {
            Document(t => r.Say(t, lp.Voice, lp.Language), n => r.Pause(n), u => r.Play(u));
            return r;
        }

        // The whole document listens for a key (* a callback, # a voicemail), so a caller can press during the music.
        var query = "?since=" + since.ToString(CultureInfo.InvariantCulture) + QueueQuery(queue, entry, '&', language);
        return r.Gather(new GatherOptions { Input = "dtmf", NumDigits = 1, FinishOnKey = "", Timeout = 1, Action = Url(VoiceRoutes.WaitKey) + query, Method = "POST" },
            g => Document(t => g.Say(t, lp.Voice, lp.Language), n => g.Pause(n), u => g.Play(u)));
    }

    /// <summary>Callbacks to be dialed before a caller who entered the queue at <paramref name="since"/>; none when the database cannot say.</summary>
    private async Task<int> CallbacksAheadAsync(string queue, long since, CancellationToken ct)
    {
        if (!_callbacks.Enabled)
        {
            return 0;
        }

        try
        {
            return await callbacks.AheadOfAsync(queue, since, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            ReadFailed(log, ex);
            return 0;
        }
    }

    public async Task<VoiceResponse> WhisperAsync(VoiceWebhook hook, string? queueName, CancellationToken ct)
    {
        await recorder.RecordAsync(new Pickup { Hook = hook, At = Now, Id = IdFor(hook), Queue = queues.Find(queueName).Name });
        return new VoiceResponse().Say(_p.Whisper, _p.Voice, _p.Language);
    }

    /// <summary>The status callback of an operator's recording Dial: the conversation's recording, stored with its call.</summary>
    public Task CallRecordedAsync(VoiceWebhook hook, string? queueName) =>
        recorder.RecordAsync(new CallRecorded { Hook = hook, At = Now, Id = IdFor(hook), Queue = queues.Find(queueName).Name });

    /// <summary>How many times a caller is put back in the queue after Twilio reports a queue error.</summary>
    public const int MaxQueueEntries = 2;

    public async Task<VoiceResponse> QueueExitAsync(VoiceWebhook hook, string? queueName, string? language, int entry, CancellationToken ct)
    {
        var queue = queues.Find(queueName);
        var lp = PromptsFor(language);
        // Twilio's queue failed the caller, who is still on the line: apologise and put them back once, keeping the visit.
        var requeue = hook.QueueResult is "error" or "system-error" && entry < MaxQueueEntries;
        await recorder.RecordAsync(new QueueExit
        {
            Hook = hook, At = Now, Id = IdFor(hook), Queue = queue.Name, QueueEntry = Entry(entry), Requeued = requeue,
        });
        if (requeue)
        {
            QueueErrorRequeued(log, hook.CallSid, hook.QueueResult!);
            return Enqueue(new VoiceResponse().Say(lp.Trouble, lp.Voice, lp.Language), queue, entry + 1, language);
        }

        // Twilio continues the caller's call with this document when the caller is still there
        // (the operator hung up first, the queue was full, …); after a hang-up it is ignored.
        return hook.QueueResult switch
        {
            "leave" => await LeftAsync(hook, ct),
            "bridged" => new VoiceResponse().Say(lp.ThankYou, lp.Voice, lp.Language).Hangup(),
            "queue-full" => new VoiceResponse().Say(lp.QueueFull, lp.Voice, lp.Language).Hangup(),
            "error" or "system-error" => QueueFailedAgain(hook),
            _ => new VoiceResponse(),
        };
    }

    /// <summary>
    /// The caller left the queue on purpose (<c>&lt;Leave&gt;</c>): a callback was asked for (and confirmed before they
    /// left), or a voicemail. When the database cannot say which, a voicemail is offered if it can be (a caller who asked
    /// for a callback has heard it confirmed already, and may hang up).
    /// </summary>
    private async Task<VoiceResponse> LeftAsync(VoiceWebhook hook, CancellationToken ct)
    {
        string? reason;
        try
        {
            reason = await callbacks.LeaveReasonAsync(hook.CallSid, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            ReadFailed(log, ex);
            reason = VoicemailEnabled ? QueueLeaving.Voicemail : null;
        }

        return reason switch
        {
            QueueLeaving.Callback => new VoiceResponse().Hangup(),
            QueueLeaving.Voicemail when VoicemailEnabled => new VoiceResponse().Redirect(Url(VoiceRoutes.Voicemail) + "?reason=key", "POST"),
            QueueLeaving.MaxWait when VoicemailEnabled => new VoiceResponse().Redirect(Url(VoiceRoutes.Voicemail) + "?reason=max-wait", "POST"),
            _ => new VoiceResponse().Say(_p.ThankYou, _p.Voice, _p.Language).Hangup(),
        };
    }

    /// <summary>The queue failed the caller a second time: say so and let them call again rather than loop.</summary>
    private VoiceResponse QueueFailedAgain(VoiceWebhook hook)
    {
        QueueErrorGaveUp(log, hook.CallSid, hook.QueueResult!);
        return new VoiceResponse().Say(_p.QueueFull, _p.Voice, _p.Language).Hangup();
    }

    private static int? Entry(int entry) => entry > 1 ? entry : null;

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

    /// <summary>The center's queues.</summary>
    public Queues.QueueDirectory Queues => queues;

    /// <summary>Queues the caller (after what <paramref name="r"/> says) in <paramref name="queue"/> (none: the default queue).</summary>
    public VoiceResponse EnqueueCaller(VoiceResponse r, Queues.QueueSettings? queue = null, string? language = null) => Enqueue(r, queue ?? queues.Default, 1, language);

    /// <summary>
    /// The query that tells the queue's URLs which queue and which entry into it (a re-entry after a queue error is 2):
    /// each left out at its default (the default queue, the first entry), so a center with one queue sees the same URLs as ever.
    /// </summary>
    public string QueueQuery(Queues.QueueSettings queue, int entry, char first = '?', string? language = null)
    {
        var parts = new List<string>();
        if (queue != queues.Default)
        {
            parts.Add("queue=" + queue.Name);
        }

        if (entry > 1)
        {
            parts.Add("entry=" + entry.ToString(CultureInfo.InvariantCulture));
        }

        if (language is not null && language != _o.Language)
        {
            parts.Add("lang=" + language);
        }

        return parts.Count == 0 ? "" : first + string.Join('&', parts);
    }

    /// <summary>Queues the caller in <paramref name="queue"/>; a re-entry after a queue error (<paramref name="entry"/> 2) is marked in the URLs Twilio calls back.</summary>
    private VoiceResponse Enqueue(VoiceResponse r, Queues.QueueSettings queue, int entry = 1, string? language = null)
    {
        var query = QueueQuery(queue, entry, '?', language);
        if (queue.Announces && entry == 1)
        {
            var lp = PromptsFor(language);
            r.Say(lp.RecordingNotice, lp.Voice, lp.Language);
        }

        return r.Enqueue(queue.Twilio, new EnqueueOptions
        {
            Action = Url(VoiceRoutes.QueueExit) + query,
            Method = "POST",
            WaitUrl = Url(VoiceRoutes.Wait) + query,
            WaitUrlMethod = "POST",
        });
    }

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
