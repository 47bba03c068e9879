using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>
/// Reads the report tables. Queue visits are summed per 15-minute UTC bucket (every time zone's offset is a
/// multiple of 15 minutes), and the buckets are then gathered into local intervals and days here, so that day
/// boundaries and DST changes are right in any zone. The sums come from the rollups where they hold them
/// (<see cref="Rollups"/>), and from the history for the rest.
/// </summary>
public static class ReportServices
{
    public static IServiceCollection AddReports(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ReportOptions>().Bind(configuration.GetSection(ReportOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<ReportOptions>, ReportOptionsValidator>();
        services.AddSingleton<ReportQuery>();
        services.AddSingleton<LiveQuery>();
        return services;
    }
}

public sealed partial class ReportQuery(Database database, IOptions<ReportOptions> options, TimeProvider time, ILogger<ReportQuery> log)
{
    public const long BucketMs = Rollups.BucketMs;

    private ReportOptions O => options.Value;

    public TimeZoneInfo Zone => O.Zone;

    /// <summary>Midnight of a local date in the report time zone.</summary>
    public DateTimeOffset LocalMidnight(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, Zone.GetUtcOffset(local));
    }

    public Task<IReadOnlyList<(long Bucket, QueueCounts Counts)>> BucketsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        BucketsAsync(from, to, null, ReportSource.Rollups, ct);

    /// <summary>15-minute UTC buckets of the visits that entered in the range (of one queue, or all when <paramref name="queue"/> is null).</summary>
    public async Task<IReadOnlyList<(long Bucket, QueueCounts Counts)>> BucketsAsync(
        DateTimeOffset from, DateTimeOffset to, string? queue, ReportSource source, CancellationToken ct)
    {
        long f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds();
        return await BucketsAsync(f, t, queue, source == ReportSource.Rollups ? await DirtyHoursAsync(f, t, ct) : null, ct);
    }

    public Task<Report> RunAsync(DateTimeOffset from, DateTimeOffset to, int intervalMinutes, CancellationToken ct) =>
        RunAsync(from, to, intervalMinutes, null, ReportSource.Rollups, ct);

    public Task<Report> RunAsync(DateTimeOffset from, DateTimeOffset to, int intervalMinutes, string? queue, CancellationToken ct) =>
        RunAsync(from, to, intervalMinutes, queue, ReportSource.Rollups, ct);

    /// <summary>The report for a range, of one queue (<paramref name="queue"/>) or of all, its sums read from <paramref name="source"/>.</summary>
    public async Task<Report> RunAsync(DateTimeOffset from, DateTimeOffset to, int intervalMinutes, string? queue, ReportSource source, CancellationToken ct)
    {
        if (intervalMinutes is not (15 or 30 or 60))
        {
            throw new ArgumentOutOfRangeException(nameof(intervalMinutes), "The interval is 15, 30 or 60 minutes.");
        }

        long f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds();
        var dirty = source == ReportSource.Rollups ? await DirtyHoursAsync(f, t, ct) : null;

        // The parts are independent: read them at once, on separate connections. Task.Run because
        // Microsoft.Data.Sqlite runs its "async" calls synchronously: without it they would queue up.
        var bucketsTask = Task.Run(() => BucketsAsync(f, t, queue, dirty, ct), ct);
        var sessionsTask = Task.Run(() => SessionsAsync(from, to, ct), ct);
        var abandonedTask = Task.Run(() => AbandonedAsync(from, to, queue, ct), ct);
        var ivrTask = Task.Run(() => IvrAsync(f, t, dirty, ct), ct);
        var operatorRowsTask = Task.Run(() => OperatorSumsAsync(f, t, queue, dirty, ct), ct);
        await Task.WhenAll(bucketsTask, sessionsTask, abandonedTask, ivrTask, operatorRowsTask);
        var buckets = await bucketsTask;
        var total = buckets.Aggregate(new QueueCounts(), (acc, b) => acc + b.Counts);
        var sessions = await sessionsTask;
        var signedIn = new SignedInTime(sessions.Select(s => (s.StartedAt, s.EndedAt ?? time.GetUtcNow().ToUnixTimeMilliseconds())));

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
            var seconds = signedIn.Within(kv.Key.ToUnixTimeMilliseconds(), (kv.Key + length).ToUnixTimeMilliseconds()) / 1000.0;
            return new IntervalRow(kv.Key, m, needed, Math.Round(seconds / length.TotalSeconds, 2));
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
            QueueMetrics.From(total, O.ServiceLevelFormula), rows, Operators(await operatorRowsTask, f, t, sessions), await abandonedTask,
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

    private IReadOnlyList<OperatorRow> Operators(IReadOnlyList<OperatorSums> sums, long from, long to, List<Session> sessions)
    {
        // Each operator's signed-in time within the range: a session open now counts up to now.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var signedIn = new Dictionary<long, long>();
        foreach (var s in sessions)
        {
            signedIn[s.OperatorId] = signedIn.GetValueOrDefault(s.OperatorId) + Math.Max(0, Math.Min(s.EndedAt ?? now, to) - Math.Max(s.StartedAt, from));
        }

        return sums.Select(o => new OperatorRow(o.OperatorId, o.Phone, o.Name, o.CallsTaken, o.TalkSum,
                o.TalkCount == 0 ? 0 : Math.Round((double)o.TalkSum / o.TalkCount, 2),
                o.FirstCall is long first ? DateTimeOffset.FromUnixTimeMilliseconds(first) : null,
                o.LastCall is long last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : null,
                o.OperatorId is long id ? (long)(signedIn.GetValueOrDefault(id) / 1000.0) : 0))
            .ToList();
    }

    private sealed record AbandonedRow
    {
        public string CallSid { get; init; } = "";
        public string? FromNumber { get; init; }
        public long EnteredAt { get; init; }
        public long? WaitSeconds { get; init; }
    }

    /// <summary>A list, not a sum: always read from the history (schema 9's ix_queue_visits_abandoned holds every column it needs).</summary>
    private async Task<IReadOnlyList<AbandonedCaller>> AbandonedAsync(DateTimeOffset from, DateTimeOffset to, string? queue, CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<AbandonedRow>(new CommandDefinition(
            // "answered_at + 0": keeps planners off the operator index (answered_at is its second column, and a scan of it
            // reads the whole history), on the index of abandoned visits.
            "SELECT call_sid AS CallSid, from_number AS FromNumber, entered_at AS EnteredAt, wait_seconds AS WaitSeconds FROM queue_visits " +
            "WHERE answered_at + 0 IS NULL AND result = 'hangup' AND entered_at >= @from AND entered_at < @to AND (@queue IS NULL OR queue_name = @queue) " +
            "ORDER BY entered_at",
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), queue }, cancellationToken: ct)), ct);
        return rows.Select(r => new AbandonedCaller(r.CallSid.Trim(), r.FromNumber, DateTimeOffset.FromUnixTimeMilliseconds(r.EnteredAt), r.WaitSeconds)).ToList();
    }
}

/// <summary>
/// Signed-in time of a set of sessions within any window, in O(log n): the time signed in before x is
/// Σ(x − start) over the starts before x minus Σ(x − end) over the ends before x, from sorted starts and ends and
/// their prefix sums. Exactly the sum of each session's overlap with the window, in milliseconds.
/// </summary>
internal sealed class SignedInTime
{
    private readonly long[] _starts;
    private readonly long[] _ends;
    private readonly long[] _startSums;
    private readonly long[] _endSums;

    public SignedInTime(IEnumerable<(long Start, long End)> sessions)
    {
        // A session that ends before it starts overlaps nothing.
        var valid = sessions.Where(s => s.End > s.Start).ToList();
        _starts = [.. valid.Select(s => s.Start).Order()];
        _ends = [.. valid.Select(s => s.End).Order()];
        _startSums = PrefixSums(_starts);
        _endSums = PrefixSums(_ends);
    }

    public long Within(long from, long to) => to <= from ? 0 : Before(to) - Before(from);

    private long Before(long x)
    {
        var started = Count(_starts, x);
        var ended = Count(_ends, x);
        return (x * started) - _startSums[started] - ((x * ended) - _endSums[ended]);
    }

    /// <summary>How many of the sorted <paramref name="values"/> are below <paramref name="x"/>.</summary>
    private static int Count(long[] values, long x)
    {
        var i = Array.BinarySearch(values, x);
        if (i < 0)
        {
            return ~i;
        }

        while (i > 0 && values[i - 1] == x)
        {
            i--;
        }

        return i;
    }

    private static long[] PrefixSums(long[] values)
    {
        var sums = new long[values.Length + 1];
        for (var i = 0; i < values.Length; i++)
        {
            sums[i + 1] = sums[i] + values[i];
        }

        return sums;
    }
}
