namespace MiniCC.Emulator;

/// <summary>What really happened to a call, kept by <see cref="GroundTruth"/> from what the emulator did, independently of the app.</summary>
public sealed record CallTruth
{
    public required string CallSid { get; init; }
    public required string From { get; init; }
    /// <summary>The call dialled a queue (&lt;Dial&gt;&lt;Queue&gt;): MiniCC's operators pull callers so.</summary>
    public bool IsOperator { get; set; }
    /// <summary>When the call came in (its first webhook), not when a scenario planned it.</summary>
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>What the caller's last menu key meant (<see cref="MenuMeaning"/>): operator, information, invalid, no-input.</summary>
    public string? IvrChoice { get; set; }
    public bool Queued { get; set; }

    /// <summary>The queue (its name at Twilio) the caller entered last.</summary>
    public string? Queue { get; set; }
    public DateTimeOffset? EnteredQueueAt { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    public string? AnsweredBy { get; set; }
    public string? AnsweredByCallSid { get; set; }
    /// <summary>Whole seconds in the queue, as Twilio's QueueTime counts them.</summary>
    public int? WaitSeconds { get; set; }
    public int? TalkSeconds { get; set; }
    public string? QueueResult { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public int? DurationSeconds { get; set; }
    /// <summary>The call met an application error (even one its Fallback URL recovered from).</summary>
    public bool ApplicationError { get; set; }

    /// <summary>What the last meaningful key pressed in the queue (or at the no-operator offer) chose: callback, voicemail.</summary>
    public string? QueueChoice { get; set; }

    /// <summary>
    /// The caller asked to be called back: chose it in the queue and then left it (QueueResult leave: a request, not an
    /// abandon), or chose it at the no-operator offer and confirmed a number.
    /// </summary>
    public bool CallbackRequested { get; set; }

    /// <summary>When the caller left the queue to be called back (or confirmed the request outside it).</summary>
    public DateTimeOffset? CallbackRequestedAt { get; set; }

    /// <summary>A number the caller keyed in (digits) for the callback instead of their caller ID.</summary>
    public string? CallbackKeyed { get; set; }

    /// <summary>When the first callback to this caller was answered and connected.</summary>
    public DateTimeOffset? CallbackAnsweredAt { get; set; }

    /// <summary>Seconds of the message the caller recorded (a voicemail); null when nothing was recorded.</summary>
    public int? VoicemailSeconds { get; set; }

    /// <summary>
    /// The caller confirmed (or keyed in) a number for a callback while in the queue. Usually they then leave it
    /// (<see cref="CallbackRequested"/>); an operator may pick them up first, which answers them instead.
    /// </summary>
    public bool CallbackConfirmedInQueue { get; set; }

    /// <summary>The caller was asked the menu's question (a &lt;Gather&gt; posting to the menu); a closed center does not ask it.</summary>
    public bool HeardMenu { get; set; }
}

/// <summary>One dial of a callback (a &lt;Dial&gt; whose action is <see cref="MenuMeaning.CallbackDialPath"/>), as it really went.</summary>
public sealed record CallbackTruth
{
    public required DateTimeOffset At { get; init; }
    public required string To { get; init; }
    /// <summary>The operator's call: its From (client:identity or a phone) and CallSid.</summary>
    public required string Operator { get; init; }
    public required string OperatorCallSid { get; init; }
    /// <summary>The request this dial served (matched by number); null when no request matches.</summary>
    public string? RequestCallSid { get; set; }
    /// <summary>DialCallStatus: completed, busy, no-answer, failed, canceled; null while it rings.</summary>
    public string? Result { get; set; }
    /// <summary>The customer answered and was connected to the operator.</summary>
    public bool Connected { get; set; }
    public DateTimeOffset? AnsweredAt { get; set; }
    /// <summary>Seconds from the answer to the end of the call (DialCallDuration) when connected; else 0.</summary>
    public int TalkSeconds { get; set; }
    /// <summary>When the dial ended (its DialEnded); null while it rings or talks.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>
/// One customer given to one operator's call, as Twilio saw it: a queue's caller taken by the operator's
/// &lt;Dial&gt;&lt;Queue&gt; (from the pickup, when the caller hears the &lt;Queue url&gt; document, whether or not they
/// stay to talk), or a callback's customer who answered and was connected. Kept so that a test can see every offer,
/// not only the last one a <see cref="CallTruth"/> remembers: a caller given to two operators would be two of these.
/// </summary>
public sealed record ConnectionTruth
{
    /// <summary>The operator's call: its From (client:identity or a phone) and CallSid.</summary>
    public required string Operator { get; init; }
    public required string OperatorCallSid { get; init; }
    /// <summary>The customer's call: a queued caller's, or the leg a callback rang.</summary>
    public required string CustomerCallSid { get; init; }
    /// <summary>The queue the operator's &lt;Dial&gt;&lt;Queue&gt; named (its name at Twilio); null for a callback.</summary>
    public string? Queue { get; init; }
    /// <summary>The callback dial that reached the customer; null for a queue's caller.</summary>
    public CallbackTruth? Callback { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>When the operator's Dial (or call) ended, and with it the connection; null while it lasts.</summary>
    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>The ground truth summed up.</summary>
public sealed record TruthSummary(
    int Calls, int CustomerCalls, int OperatorCalls, int Offered, int Answered, int Abandoned, int ShortAbandoned, int OtherExits,
    int Information, int NoInput, int ApplicationErrors, double AverageSpeedOfAnswerSeconds, double AverageTalkSeconds, int LongestWaitSeconds,
    int AnsweredWithin20Seconds)
{
    /// <summary>Callers who left the queue to be called back (counted in OtherExits, never in Abandoned).</summary>
    public int CallbacksRequested { get; init; }

    /// <summary>Requests whose callback was answered and connected.</summary>
    public int CallbacksCompleted { get; init; }

    /// <summary>Callback dials that did not connect (busy, no-answer, failed, canceled, declined).</summary>
    public int CallbacksFailed { get; init; }

    /// <summary>Customer calls that recorded a message.</summary>
    public int Voicemails { get; init; }

    /// <summary>Callers who confirmed a callback in the queue and were picked up by an operator before they left it.</summary>
    public int CallbacksAnsweredInstead { get; init; }

    /// <summary>Customer calls that never heard the menu (MiniCC answers so only while it is closed).</summary>
    public int MenuSkipped { get; init; }

    /// <summary>Of <see cref="MenuSkipped"/>, those that recorded a message.</summary>
    public int VoicemailsWithoutMenu { get; init; }

    /// <summary>Queued callers who left the queue (QueueResult leave) after choosing a callback.</summary>
    public int LeftForCallback { get; init; }

    /// <summary>Queued callers who left the queue after choosing a voicemail.</summary>
    public int LeftForVoicemail { get; init; }

    /// <summary>Queued callers the app made leave the queue without their choosing anything (MiniCC: the longest wait).</summary>
    public int LeftUnasked { get; init; }

    /// <summary>Mean time from entering the queue (or the request, for a caller never queued) to the answered callback, over completed requests.</summary>
    public double AverageTimeToCallbackSeconds { get; init; }

    public static TruthSummary Of(IEnumerable<CallTruth> truths, int applicationErrors, int shortAbandonSeconds = 5, IEnumerable<CallbackTruth>? callbacks = null)
    {
        var all = truths.ToList();
        var dials = (callbacks ?? []).ToList();
        var served = all.Where(t => t is { CallbackRequested: true, CallbackAnsweredAt: not null }).ToList();
        var customers = all.Where(t => !t.IsOperator).ToList();
        var queued = customers.Where(t => t.Queued).ToList();
        var answered = queued.Where(t => t.AnsweredAt is not null).ToList();
        var abandoned = queued.Where(t => t.AnsweredAt is null && t.QueueResult == "hangup").ToList();
        return new TruthSummary(
            all.Count,
            customers.Count,
            all.Count - customers.Count,
            queued.Count,
            answered.Count,
            abandoned.Count,
            abandoned.Count(t => (t.WaitSeconds ?? 0) < shortAbandonSeconds),
            queued.Count(t => t.AnsweredAt is null && t.QueueResult is not null && t.QueueResult != "hangup"),
            customers.Count(t => t.IvrChoice == "information"),
            customers.Count(t => t.IvrChoice == "no-input"),
            applicationErrors,
            answered.Count == 0 ? 0 : Math.Round(answered.Average(t => t.WaitSeconds ?? 0), 2),
            !answered.Any(t => t.TalkSeconds is not null) ? 0 : Math.Round(answered.Where(t => t.TalkSeconds is not null).Average(t => t.TalkSeconds!.Value), 2),
            queued.Where(t => t.QueueResult is not null).Select(t => t.WaitSeconds ?? 0).DefaultIfEmpty(0).Max(),
            answered.Count(t => t.WaitSeconds <= 20))
        {
            CallbacksRequested = customers.Count(t => t.CallbackRequested),
            CallbacksCompleted = served.Count,
            CallbacksFailed = dials.Count(d => d.Result is not null && !d.Connected),
            Voicemails = customers.Count(t => t.VoicemailSeconds > 0),
            CallbacksAnsweredInstead = queued.Count(t => t is { CallbackConfirmedInQueue: true, AnsweredAt: not null }),
            MenuSkipped = customers.Count(t => !t.HeardMenu && !t.ApplicationError),
            VoicemailsWithoutMenu = customers.Count(t => !t.HeardMenu && t.VoicemailSeconds > 0),
            LeftForCallback = queued.Count(t => t is { QueueResult: "leave", QueueChoice: MenuMeaning.Callback }),
            LeftForVoicemail = queued.Count(t => t is { QueueResult: "leave", QueueChoice: MenuMeaning.Voicemail }),
            LeftUnasked = queued.Count(t => t is { QueueResult: "leave", QueueChoice: null }),
            AverageTimeToCallbackSeconds = served.Count == 0 ? 0
                : Math.Round(served.Average(t => (t.CallbackAnsweredAt!.Value - (t.EnteredQueueAt ?? t.CallbackRequestedAt!.Value)).TotalSeconds), 2),
        };
    }
}
