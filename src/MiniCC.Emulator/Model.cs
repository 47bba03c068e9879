namespace MiniCC.Emulator;

/// <summary>Where a call is.</summary>
public enum CallState
{
    Ringing,
    InProgress,
    InQueue,
    BeingConnected,
    Talking,
    WaitingForCaller,
    Completed,
}

/// <summary>What a simulated customer does. Null fields mean "nothing": no key, infinite patience.</summary>
public sealed record CallerScript
{
    /// <summary>Keys to press, one entry per menu the caller hears, e.g. ["3", "1"]: an invalid key, then 1.</summary>
    public IReadOnlyList<string> Presses { get; init; } = [];

    /// <summary>How long after a menu starts the caller presses (a press during the prompt barges in).</summary>
    public TimeSpan PressAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the caller waits in the queue before hanging up; null waits for ever.</summary>
    public TimeSpan? Patience { get; init; }

    /// <summary>How long the caller talks once connected.</summary>
    public TimeSpan TalkTime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Who ends the conversation: the caller (true) or the operator.</summary>
    public bool CallerHangsUpFirst { get; init; } = true;
}

/// <summary>One request the emulator made and what came back.</summary>
public sealed record Exchange(DateTimeOffset At, string Method, string Url, IReadOnlyList<KeyValuePair<string, string>> Parameters, int Status, string Body);

/// <summary>Something Twilio would log as an application error: the call ends.</summary>
public sealed record ApplicationError(DateTimeOffset At, string CallSid, string Url, string Reason);

/// <summary>One line of a call's transcript.</summary>
public sealed record TranscriptLine(DateTimeOffset At, string Kind, string Text)
{
    public override string ToString() => $"{At:HH:mm:ss} {Kind,-8} {Text}";
}

/// <summary>What really happened to a call, recorded by the emulator independently of the app.</summary>
public sealed record CallTruth
{
    public required string CallSid { get; init; }
    public required string From { get; init; }
    public bool IsOperator { get; set; }
    /// <summary>When the call came in (its first webhook), not when a scenario planned it.</summary>
    public DateTimeOffset StartedAt { get; set; }
    /// <summary>operator, information, invalid (then something else), no-input — the caller's last menu choice.</summary>
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
