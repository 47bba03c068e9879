using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Storage;

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
    };

    public static QueueCounts Add(QueueCounts a, QueueCounts b) => a + b;
}

/// <summary>The metrics of one span, with their definitions applied.</summary>
public sealed record QueueMetrics(
    long Offered, long Answered, long Abandoned, long ShortAbandoned, long OtherExits, long StillWaiting,
    double AbandonRatePercent, double AverageSpeedOfAnswerSeconds, double ServiceLevelPercent,
    double AverageHandleTimeSeconds, long LongestWaitSeconds, double AverageWaitSeconds)
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
            Mean(c.TalkSum, c.TalkCount),
            c.MaxWait,
            Mean(c.WaitSum, c.WaitCount));
    }
}

public sealed record IntervalRow(DateTimeOffset Start, QueueMetrics Metrics, int ErlangCAgentsNeeded, double OperatorsSignedIn);

public sealed record OperatorRow(long? OperatorId, string? Phone, string? Name, long CallsTaken, long TalkSeconds,
    double AverageHandleSeconds, DateTimeOffset? FirstCall, DateTimeOffset? LastCall, long SignedInSeconds);

public sealed record AbandonedCaller(string CallSid, string? FromNumber, DateTimeOffset EnteredAt, long? WaitSeconds);

public sealed record DayRow(DateOnly Day, QueueMetrics Metrics);

public sealed record WeekdayHourRow(DayOfWeek Weekday, int Hour, QueueMetrics Metrics);

/// <summary>Menu choices of the calls that started in the range: 1 (operator), 2 (information), invalid, no input.</summary>
public sealed record IvrChoices(long Operator, long Information, long Invalid, long NoInput, long Calls);

public sealed record Report(
    DateTimeOffset From, DateTimeOffset To, string TimeZone, int IntervalMinutes, string ServiceLevelFormula, int ServiceLevelSeconds,
    QueueMetrics Totals, IReadOnlyList<IntervalRow> Intervals, IReadOnlyList<OperatorRow> Operators, IReadOnlyList<AbandonedCaller> AbandonedCallers,
    IReadOnlyList<DayRow> Days, IReadOnlyList<WeekdayHourRow> WeekdayHours, IvrChoices Ivr);

/// <summary>
/// Reads the report tables. The database groups queue visits into 15-minute UTC buckets (every time
/// zone's offset is a multiple of 15 minutes), and the buckets are then gathered into local intervals
/// and days here, so that day boundaries and DST changes are right in any zone.
/// </summary>
public static class ReportServices
{
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportQuery>();
        services.AddSingleton<LiveQuery>();
        return services;
    }
}

public sealed class ReportQuery(Database database, IOptions<ReportOptions> options, TimeProvider time)
{
    public const long BucketMs = 15 * 60 * 1000;

    private ReportOptions O => options.Value;

    public TimeZoneInfo Zone => O.Zone;

    /// <summary>Midnight of a local date in the report time zone.</summary>
    public DateTimeOffset LocalMidnight(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public Task<IReadOnlyList<(long Bucket, QueueCounts Counts)>> BucketsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        BucketsAsync(from, to, null, ct);

    /// <summary>15-minute UTC buckets of the visits that entered in the range (of one queue, or all when <paramref name="queue"/> is null).</summary>
    public async Task<IReadOnlyList<(long Bucket, QueueCounts Counts)>> BucketsAsync(DateTimeOffset from, DateTimeOffset to, string? queue, CancellationToken ct)
    {
        var d = database.Dialect;
        var sql = $"""
            SELECT {d.IntDiv("entered_at", BucketMs.ToString(System.Globalization.CultureInfo.InvariantCulture))} AS Bucket,
                COUNT(*) AS Offered,
                SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END) AS Answered,
                SUM(CASE WHEN answered_at IS NULL AND result = 'hangup' THEN 1 ELSE 0 END) AS Abandoned,
                SUM(CASE WHEN answered_at IS NULL AND result = 'hangup' AND wait_seconds < @shortAbandon THEN 1 ELSE 0 END) AS ShortAbandoned,
                SUM(CASE WHEN answered_at IS NULL AND result IS NOT NULL AND result <> 'hangup' THEN 1 ELSE 0 END) AS OtherExits,
                SUM(CASE WHEN answered_at IS NULL AND result IS NULL THEN 1 ELSE 0 END) AS StillWaiting,
                SUM(CASE WHEN answered_at IS NOT NULL THEN COALESCE(wait_seconds, 0) ELSE 0 END) AS AnsweredWaitSum,
                SUM(CASE WHEN answered_at IS NOT NULL AND wait_seconds <= @within THEN 1 ELSE 0 END) AS AnsweredWithin,
                SUM(CASE WHEN answered_at IS NULL AND result = 'hangup' AND wait_seconds <= @within THEN 1 ELSE 0 END) AS AbandonedWithin,
                SUM(COALESCE(talk_seconds, 0)) AS TalkSum,
                SUM(CASE WHEN talk_seconds IS NOT NULL THEN 1 ELSE 0 END) AS TalkCount,
                COALESCE(MAX(wait_seconds), 0) AS MaxWait,
                SUM(COALESCE(wait_seconds, 0)) AS WaitSum,
                SUM(CASE WHEN wait_seconds IS NOT NULL THEN 1 ELSE 0 END) AS WaitCount
            FROM queue_visits
            WHERE entered_at >= @from AND entered_at < @to AND (@queue IS NULL OR queue_name = @queue)
            GROUP BY {d.IntDiv("entered_at", BucketMs.ToString(System.Globalization.CultureInfo.InvariantCulture))}
            """;
        var rows = await database.ReadAsync(c => c.QueryAsync(new CommandDefinition(sql, new
        {
            shortAbandon = O.ShortAbandonSeconds,
            within = O.ServiceLevelSeconds,
            from = from.ToUnixTimeMilliseconds(),
            to = to.ToUnixTimeMilliseconds(),
            queue,
        }, cancellationToken: ct)), ct);
        return rows.Select(r =>
        {
            var row = Columns(r);
            long L(string k) => row[k] is null or DBNull ? 0 : Convert.ToInt64(row[k], System.Globalization.CultureInfo.InvariantCulture);
            return (L("Bucket"), new QueueCounts
            {
                Offered = L("Offered"),
                Answered = L("Answered"),
                Abandoned = L("Abandoned"),
                ShortAbandoned = L("ShortAbandoned"),
                OtherExits = L("OtherExits"),
                StillWaiting = L("StillWaiting"),
                AnsweredWaitSum = L("AnsweredWaitSum"),
                AnsweredWithin = L("AnsweredWithin"),
                AbandonedWithin = L("AbandonedWithin"),
                TalkSum = L("TalkSum"),
                TalkCount = L("TalkCount"),
                MaxWait = L("MaxWait"),
                WaitSum = L("WaitSum"),
                WaitCount = L("WaitCount"),
            });
        }).OrderBy(b => b.Item1).ToList();
    }

    public Task<Report> RunAsync(DateTimeOffset from, DateTimeOffset to, int intervalMinutes, CancellationToken ct) =>
        RunAsync(from, to, intervalMinutes, null, ct);

    /// <summary>The report for a range, of one queue (<paramref name="queue"/>) or of all.</summary>
    public async Task<Report> RunAsync(DateTimeOffset from, DateTimeOffset to, int intervalMinutes, string? queue, CancellationToken ct)
    {
        if (intervalMinutes is not (15 or 30 or 60))
        {
            throw new ArgumentOutOfRangeException(nameof(intervalMinutes), "The interval is 15, 30 or 60 minutes.");
        }

        // The parts are independent: read them at once, on separate connections. Task.Run because
        // Microsoft.Data.Sqlite runs its "async" calls synchronously: without it they would queue up.
        var bucketsTask = Task.Run(() => BucketsAsync(from, to, queue, ct), ct);
        var sessionsTask = Task.Run(() => SessionsAsync(from, to, ct), ct);
        var abandonedTask = Task.Run(() => AbandonedAsync(from, to, queue, ct), ct);
        var ivrTask = Task.Run(() => IvrAsync(from, to, ct), ct);
        var operatorRowsTask = Task.Run(() => OperatorRowsAsync(from, to, queue, ct), ct);
        await Task.WhenAll(bucketsTask, sessionsTask, abandonedTask, ivrTask, operatorRowsTask);
        var buckets = await bucketsTask;
        var total = buckets.Aggregate(new QueueCounts(), (acc, b) => acc + b.Counts);
        var sessions = await sessionsTask;

        var intervals = new SortedDictionary<DateTimeOffset, QueueCounts>();
        foreach (var (bucket, counts) in buckets)
        {
            var start = IntervalStart(DateTimeOffset.FromUnixTimeMilliseconds(bucket * BucketMs), intervalMinutes);
            intervals[start] = intervals.TryGetValue(start, out var c) ? c + counts : counts;
        }

        var length = TimeSpan.FromMinutes(intervalMinutes);
        var rows = intervals.Select(kv =>
        {
            var m = QueueMetrics.From(kv.Value, O.ServiceLevelFormula);
            var needed = kv.Value.Offered == 0 || m.AverageHandleTimeSeconds <= 0
                ? 0
                : ErlangC.Required(kv.Value.Offered, length, m.AverageHandleTimeSeconds, O.ServiceLevelSeconds, O.ServiceLevelTargetPercent / 100).Agents;
            var signedIn = SignedInSeconds(sessions, kv.Key, kv.Key + length) / length.TotalSeconds;
            return new IntervalRow(kv.Key, m, needed, Math.Round(signedIn, 2));
        }).ToList();

        var days = buckets
            .GroupBy(b => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(b.Bucket * BucketMs), Zone).DateTime))
            .OrderBy(g => g.Key)
            .Select(g => new DayRow(g.Key, QueueMetrics.From(g.Aggregate(new QueueCounts(), (acc, b) => acc + b.Counts), O.ServiceLevelFormula)))
            .ToList();
        var weekdayHours = buckets
            .GroupBy(b =>
            {
                var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(b.Bucket * BucketMs), Zone);
                return (local.DayOfWeek, local.Hour);
            })
            .OrderBy(g => g.Key.DayOfWeek).ThenBy(g => g.Key.Hour)
            .Select(g => new WeekdayHourRow(g.Key.DayOfWeek, g.Key.Hour, QueueMetrics.From(g.Aggregate(new QueueCounts(), (acc, b) => acc + b.Counts), O.ServiceLevelFormula)))
            .ToList();

        return new Report(from, to, O.TimeZone, intervalMinutes, O.ServiceLevelFormula, O.ServiceLevelSeconds,
            QueueMetrics.From(total, O.ServiceLevelFormula), rows, Operators(await operatorRowsTask, from, to, sessions), await abandonedTask,
            days, weekdayHours, await ivrTask);
    }

    /// <summary>A dynamic row's columns by name, whatever case the database gave them (PostgreSQL folds aliases to lower case).</summary>
    internal static Dictionary<string, object?> Columns(object row) =>
        new((IDictionary<string, object?>)row, StringComparer.OrdinalIgnoreCase);

    /// <summary>The start, in the report zone, of the local interval that contains <paramref name="t"/>.</summary>
    public DateTimeOffset IntervalStart(DateTimeOffset t, int minutes)
    {
        var local = TimeZoneInfo.ConvertTime(t, Zone);
        var floored = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute / minutes * minutes, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(floored, local.Offset);
    }

    private sealed record Session
    {
        public long OperatorId { get; init; }
        public long StartedAt { get; init; }
        public long? EndedAt { get; init; }
    }

    private Task<List<Session>> SessionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        database.ReadAsync(async c => (await c.QueryAsync<Session>(new CommandDefinition(
            "SELECT operator_id AS OperatorId, started_at AS StartedAt, ended_at AS EndedAt FROM operator_sessions " +
            "WHERE started_at < @to AND (ended_at IS NULL OR ended_at > @from)",
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() }, cancellationToken: ct))).ToList(), ct);

    private double SignedInSeconds(IEnumerable<Session> sessions, DateTimeOffset from, DateTimeOffset to, long? operatorId = null)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        long f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds();
        return sessions.Where(s => operatorId is null || s.OperatorId == operatorId)
            .Sum(s => Math.Max(0, Math.Min(s.EndedAt ?? now, t) - Math.Max(s.StartedAt, f))) / 1000.0;
    }

    private Task<List<Dictionary<string, object?>>> OperatorRowsAsync(DateTimeOffset from, DateTimeOffset to, string? queue, CancellationToken ct) =>
        database.ReadAsync(async c => (await c.QueryAsync(new CommandDefinition(
            """
            SELECT v.operator_id AS OperatorId, o.phone AS Phone, o.name AS Name, COUNT(*) AS CallsTaken,
                SUM(COALESCE(v.talk_seconds, 0)) AS TalkSum, SUM(CASE WHEN v.talk_seconds IS NOT NULL THEN 1 ELSE 0 END) AS TalkCount,
                MIN(v.answered_at) AS FirstCall, MAX(v.answered_at) AS LastCall
            FROM queue_visits v LEFT JOIN operator_directory o ON o.id = v.operator_id
            WHERE v.answered_at IS NOT NULL AND v.entered_at >= @from AND v.entered_at < @to AND (@queue IS NULL OR v.queue_name = @queue)
            GROUP BY v.operator_id, o.phone, o.name
            ORDER BY COUNT(*) DESC
            """, new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), queue }, cancellationToken: ct))).Select(Columns).ToList(), ct);

    private IReadOnlyList<OperatorRow> Operators(List<Dictionary<string, object?>> rows, DateTimeOffset from, DateTimeOffset to, List<Session> sessions) =>
        rows.Select(row =>
        {
            long? L(string k) => row[k] is null or DBNull ? null : Convert.ToInt64(row[k], System.Globalization.CultureInfo.InvariantCulture);
            var talkCount = L("TalkCount") ?? 0;
            var id = L("OperatorId");
            return new OperatorRow(id, row["Phone"] as string, row["Name"] as string, L("CallsTaken") ?? 0, L("TalkSum") ?? 0,
                talkCount == 0 ? 0 : Math.Round((double)(L("TalkSum") ?? 0) / talkCount, 2),
                L("FirstCall") is long first ? DateTimeOffset.FromUnixTimeMilliseconds(first) : null,
                L("LastCall") is long last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : null,
                id is null ? 0 : (long)SignedInSeconds(sessions, from, to, id));
        }).ToList();

    private async Task<IvrChoices> IvrAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync(new CommandDefinition(
            "SELECT ivr_choice AS Choice, COUNT(*) AS N FROM calls WHERE role = 'customer' AND started_at >= @from AND started_at < @to GROUP BY ivr_choice",
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() }, cancellationToken: ct)), ct);
        var counts = rows.Select(Columns).ToDictionary(
            r => r["Choice"] as string ?? "",
            r => Convert.ToInt64(r["N"], System.Globalization.CultureInfo.InvariantCulture));
        long N(string k) => counts.GetValueOrDefault(k);
        return new IvrChoices(N("operator"), N("information"), N("invalid"), N("no-input"), counts.Values.Sum());
    }

    private sealed record AbandonedRow
    {
        public string CallSid { get; init; } = "";
        public string? FromNumber { get; init; }
        public long EnteredAt { get; init; }
        public long? WaitSeconds { get; init; }
    }

    private async Task<IReadOnlyList<AbandonedCaller>> AbandonedAsync(DateTimeOffset from, DateTimeOffset to, string? queue, CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<AbandonedRow>(new CommandDefinition(
            // "answered_at + 0": keeps planners on the entry-time index (an index on answered_at would scan the whole history).
            "SELECT call_sid AS CallSid, from_number AS FromNumber, entered_at AS EnteredAt, wait_seconds AS WaitSeconds FROM queue_visits " +
            "WHERE answered_at + 0 IS NULL AND result = 'hangup' AND entered_at >= @from AND entered_at < @to AND (@queue IS NULL OR queue_name = @queue) " +
            "ORDER BY entered_at",
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), queue }, cancellationToken: ct)), ct);
        return rows.Select(r => new AbandonedCaller(r.CallSid.Trim(), r.FromNumber, DateTimeOffset.FromUnixTimeMilliseconds(r.EnteredAt), r.WaitSeconds)).ToList();
    }
}
