using System.Globalization;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>
/// The queue, as the customer goes through it: queued (in one of the center's queues, in the caller's language), the
/// wait document, the pickup (the operator's whisper), the way out (the Enqueue action), and the recording of the
/// conversation in a queue that records.
/// </summary>
public sealed partial class CallFlow
{
    /// <summary>The center's queues.</summary>
    public Queues.QueueDirectory Queues => queues;

    /// <summary>Queues the caller (after what <paramref name="r"/> says) in <paramref name="queue"/> (none: the default queue).</summary>
    public VoiceResponse EnqueueCaller(VoiceResponse r, Queues.QueueSettings? queue = null, string? language = null) => Enqueue(r, queue ?? queues.Default, 1, language);

    /// <summary>
    /// The query that tells the queue's URLs which queue and which entry into it (a re-entry after a queue error is 2):
    /// each left out at its default (the default queue, the first entry), so a center with one queue sees the same URLs as ever.
    /// </summary>
    public string QueueQuery(Queues.QueueSettings queue, int entry, char first = '?', string? language = null) => QueryOf(first,
        queue != queues.Default ? "queue=" + queue.Name : null,
        entry > 1 ? "entry=" + entry.ToString(CultureInfo.InvariantCulture) : null,
        LanguagePart(language));

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
            "leave" => await LeftAsync(hook, language, lp, ct),
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
    private async Task<VoiceResponse> LeftAsync(VoiceWebhook hook, string? language, PromptSet lp, CancellationToken ct)
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
            QueueLeaving.Voicemail when VoicemailEnabled => new VoiceResponse().Redirect(Url(VoiceRoutes.Voicemail) + "?reason=key" + LanguageQuery(language), "POST"),
            QueueLeaving.MaxWait when VoicemailEnabled => new VoiceResponse().Redirect(Url(VoiceRoutes.Voicemail) + "?reason=max-wait" + LanguageQuery(language), "POST"),
            _ => new VoiceResponse().Say(lp.ThankYou, lp.Voice, lp.Language).Hangup(),
        };
    }

    /// <summary>The queue failed the caller a second time: say so and let them call again rather than loop.</summary>
    private VoiceResponse QueueFailedAgain(VoiceWebhook hook)
    {
        QueueErrorGaveUp(log, hook.CallSid, hook.QueueResult!);
        return new VoiceResponse().Say(_p.QueueFull, _p.Voice, _p.Language).Hangup();
    }

    private static int? Entry(int entry) => entry > 1 ? entry : null;
}
