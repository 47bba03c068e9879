namespace MiniCC.Reports;

/// <summary>Additive counts for a span of queue visits (by the time they entered the queue).</summary>
public sealed record QueueCounts
{
    public long Offered { get; init; }
    public long Answered { get; init; }
    public long Abandoned { get; init; }
    public long ShortAbandoned { get; init; }
    public long OtherExits { get; init; }
    public long StillWaiting { get; init; }
    public long AnsweredWaitSum { get; init; }
    public long AnsweredWithin { get; init; }
    public long AbandonedWithin { get; init; }
    public long TalkSum { get; init; }
    public long TalkCount { get; init; }
    public long MaxWait { get; init; }
    public long WaitSum { get; init; }
    public long WaitCount { get; init; }

    /// <summary>Operators' wrap-up (after-call work) in the span, from their states: part of the handle time.</summary>
    public long WrapUpSum { get; init; }

    public static QueueCounts operator +(QueueCounts a, QueueCounts b) => new()
    {
        Offered = a.Offered + b.Offered,
        Answered = a.Answered + b.Answered,
        Abandoned = a.Abandoned + b.Abandoned,
        ShortAbandoned = a.ShortAbandoned + b.ShortAbandoned,
        OtherExits = a.OtherExits + b.OtherExits,
        StillWaiting = a.StillWaiting + b.StillWaiting,
        AnsweredWaitSum = a.AnsweredWaitSum + b.AnsweredWaitSum,
        AnsweredWithin = a.AnsweredWithin + b.AnsweredWithin,
        AbandonedWithin = a.AbandonedWithin + b.AbandonedWithin,
        TalkSum = a.TalkSum + b.TalkSum,
        TalkCount = a.TalkCount + b.TalkCount,
        MaxWait = Math.Max(a.MaxWait, b.MaxWait),
        WaitSum = a.WaitSum + b.WaitSum,
        WaitCount = a.WaitCount + b.WaitCount,
        WrapUpSum = a.WrapUpSum + b.WrapUpSum,
    };

    public static QueueCounts Add(QueueCounts a, QueueCounts b) => a + b;
}

/// <summary>The metrics of one span, with their definitions applied.</summary>
public sealed record QueueMetrics(
    long Offered, long Answered, long Abandoned, long ShortAbandoned, long OtherExits, long StillWaiting,
    double AbandonRatePercent, double AverageSpeedOfAnswerSeconds, double ServiceLevelPercent,
    double AverageHandleTimeSeconds, long LongestWaitSeconds, double AverageWaitSeconds, double AverageTalkSeconds = 0)
{
    public static QueueMetrics From(QueueCounts c, string formula)
    {
        ArgumentNullException.ThrowIfNull(c);
        double Percent(long part, long whole) => whole <= 0 ? 0 : Math.Round(100.0 * part / whole, 2);
        double Mean(long sum, long n) => n <= 0 ? 0 : Math.Round((double)sum / n, 2);
        var slBase = formula switch
        {
            ServiceLevelFormula.AnsweredOnly => c.Answered,
            ServiceLevelFormula.Offered => c.Offered,
            ServiceLevelFormula.AnsweredAndAbandoned => c.Answered + c.Abandoned,
            _ => c.Answered + c.Abandoned - c.ShortAbandoned,
        };
        return new QueueMetrics(
            c.Offered, c.Answered, c.Abandoned, c.ShortAbandoned, c.OtherExits, c.StillWaiting,
            Percent(c.Abandoned, c.Offered),
            Mean(c.AnsweredWaitSum, c.Answered),
            slBase <= 0 ? 100 : Percent(c.AnsweredWithin, slBase),
            // Handle time = talk + after-call work (wrap-up), per answered call with a talk time: what Erlang C staffs for.
            Mean(c.TalkSum + c.WrapUpSum, c.TalkCount),
            c.MaxWait,
            Mean(c.WaitSum, c.WaitCount),
            Mean(c.TalkSum, c.TalkCount));
    }
}

public sealed record IntervalRow(DateTimeOffset Start, QueueMetrics Metrics, int ErlangCAgentsNeeded, double OperatorsSignedIn);

/// <summary>
/// One operator's part of a report. <see cref="AverageHandleSeconds"/> is (talk + wrap-up) ÷ calls taken;
/// <see cref="States"/> is their time in each state (null when they have no state in the range).
/// </summary>
public sealed record OperatorRow(long? OperatorId, string? Phone, string? Name, long CallsTaken, long TalkSeconds,
    double AverageHandleSeconds, DateTimeOffset? FirstCall, DateTimeOffset? LastCall, long SignedInSeconds, StateTime? States = null);

public sealed record AbandonedCaller(string CallSid, string? FromNumber, DateTimeOffset EnteredAt, long? WaitSeconds);

public sealed record DayRow(DateOnly Day, QueueMetrics Metrics);

public sealed record WeekdayHourRow(DayOfWeek Weekday, int Hour, QueueMetrics Metrics);

/// <summary>
/// Menu choices of the calls that started in the range: 1 (operator), 2 (information), invalid, no input, as the
/// original menu has them; and <see cref="Choices"/>, every choice by name (a center's own menu records its options'
/// <c>Choice</c>: "orders", "returns"…), each call counted once, by the last choice it made.
/// </summary>
public sealed record IvrChoices(long Operator, long Information, long Invalid, long NoInput, long Calls)
{
    /// <summary>
    /// The choices the original menu records: the first four counts hold them (and the not-waiting report the
    /// closed-hours calls); a center's own menu's other choices are <see cref="OwnMenuChoices"/>.
    /// </summary>
    private static readonly HashSet<string> Original = new(StringComparer.Ordinal) { "operator", "information", "invalid", "no-input", "closed" };

    public IReadOnlyList<MenuChoiceCount> Choices { get; init; } = [];

    /// <summary>The choices only a center's own menu records (none with the original menu), most first.</summary>
    public IEnumerable<MenuChoiceCount> OwnMenuChoices => Choices.Where(c => !Original.Contains(c.Choice));
}

/// <summary>How many customers' calls ended the menu with the choice <paramref name="Choice"/>.</summary>
public sealed record MenuChoiceCount(string Choice, long Calls);

public sealed record Report(
    DateTimeOffset From, DateTimeOffset To, string TimeZone, int IntervalMinutes, string ServiceLevelFormula, int ServiceLevelSeconds,
    QueueMetrics Totals, IReadOnlyList<IntervalRow> Intervals, IReadOnlyList<OperatorRow> Operators, IReadOnlyList<AbandonedCaller> AbandonedCallers,
    IReadOnlyList<DayRow> Days, IReadOnlyList<WeekdayHourRow> WeekdayHours, IvrChoices Ivr)
{
    /// <summary>Calls per disposition (<see cref="ReportParts.Dispositions"/>), most first.</summary>
    public IReadOnlyList<DispositionCount> Dispositions { get; init; } = [];

    /// <summary>The callers who did not wait (<see cref="ReportParts.NotWaiting"/>).</summary>
    public NotWaiting NotWaiting { get; init; } = NotWaiting.None;

    /// <summary>The service-level target in percent the report (and its Erlang C) measures against: the queue's, or the center's.</summary>
    public double ServiceLevelTargetPercent { get; init; } = 80;

    /// <summary>
    /// In a report of all queues, the queues whose service level has a T of its own (their visits count "answered within"
    /// that T, the others within <see cref="ServiceLevelSeconds"/>); null when every queue has the center's.
    /// </summary>
    public IReadOnlyDictionary<string, int>? QueueServiceLevelSeconds { get; init; }
}

/// <summary>
/// The callers who did not wait in the queue. <see cref="ClosedCalls"/> came in while the center was closed (never offered
/// to a queue); <see cref="LeftForCallback"/>, <see cref="LeftForVoicemail"/> and <see cref="LeftAtMaxWait"/> entered the
/// queue and left it on purpose (counted offered, and in <see cref="QueueMetrics.OtherExits"/>: never abandoned).
/// </summary>
public sealed record NotWaiting(long ClosedCalls, long LeftForCallback, long LeftForVoicemail, long LeftAtMaxWait,
    CallbackCounts Callbacks, IReadOnlyList<VoicemailCount> Voicemails)
{
    public static NotWaiting None { get; } = new(0, 0, 0, 0, new CallbackCounts(0, 0, 0, 0, 0, 0, 0), []);
}

/// <summary>
/// The callbacks asked for in the range (by when the caller entered the queue): <see cref="Requested"/> = completed + open
/// (waiting for their turn or dialing) + failed (attempts used up: listed for a person) + cancelled (the number was answered
/// otherwise). <see cref="UnansweredAttempts"/> are the dials that did not reach the customer; the time to a callback runs
/// from entering the queue to the customer's answer.
/// </summary>
public sealed record CallbackCounts(long Requested, long Completed, long Open, long Failed, long Cancelled, long UnansweredAttempts,
    double AverageTimeToCallbackSeconds);

/// <summary>Callers sent to voicemail for <paramref name="Reason"/> (a <c>VoicemailReasons</c> value): who heard the prompt, and who left a message.</summary>
public sealed record VoicemailCount(string Reason, long Offered, long Messages);

/// <summary>How many answered calls that entered the queue in the range the operators gave the disposition <paramref name="Key"/>.</summary>
public sealed record DispositionCount(string Key, long Calls);

/// <summary>Where a report reads its sums: the rollups (and the history only where they do not hold the sums), or the history alone.</summary>
public enum ReportSource
{
    Rollups,
    History,
}

/// <summary>What a view of a report reads: each part is a query of its own, so a view that shows one table reads only that.</summary>
[Flags]
public enum ReportParts
{
    None = 0,

    /// <summary>Offered, answered, abandoned… per interval, day and weekday × hour, and the totals.</summary>
    Counts = 1,

    /// <summary>Operators signed in per interval (needs <see cref="Counts"/>'s intervals to be shown).</summary>
    SignedIn = 2,

    /// <summary>The per-operator table.</summary>
    Operators = 4,

    /// <summary>The newest abandoned callers.</summary>
    AbandonedCallers = 8,

    /// <summary>The menu choices.</summary>
    Menu = 16,

    /// <summary>
    /// Every interval and day of the range up to now is a row, with zeros where nothing happened (a time axis for a chart);
    /// without it, only those with calls.
    /// </summary>
    QuietIntervals = 32,

    /// <summary>Calls per disposition (what the operators said became of the calls they answered).</summary>
    Dispositions = 64,

    /// <summary>The callers who did not wait: closed-hours calls, callbacks, voicemails, leaving the queue on purpose.</summary>
    NotWaiting = 128,

    /// <summary>Everything but the list of abandoned callers.</summary>
    Sums = Counts | SignedIn | Operators | Menu | Dispositions | NotWaiting,

    All = Sums | AbandonedCallers,
}
