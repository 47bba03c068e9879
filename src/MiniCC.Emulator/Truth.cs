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
}

/// <summary>The ground truth summed up.</summary>
public sealed record TruthSummary(
    int Calls, int CustomerCalls, int OperatorCalls, int Offered, int Answered, int Abandoned, int ShortAbandoned, int OtherExits,
    int Information, int NoInput, int ApplicationErrors, double AverageSpeedOfAnswerSeconds, double AverageTalkSeconds, int LongestWaitSeconds,
    int AnsweredWithin20Seconds)
{
    public static TruthSummary Of(IEnumerable<CallTruth> truths, int applicationErrors, int shortAbandonSeconds = 5)
    {
        var all = truths.ToList();
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
            answered.Count(t => t.WaitSeconds <= 20));
    }
}
