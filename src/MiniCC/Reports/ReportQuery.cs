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
    public static IServiceCollection AddReports(this IServiceCollection services)
    {
        services.AddSingleton<ReportQuery>();
        services.AddSingleton<LiveQuery>();
        services.AddSingleton<CallQuery>();
        services.AddSingleton<WallboardFeed>();
        return services;
    }
}

public sealed partial class ReportQuery(Database database, IOptions<ReportOptions> options, TimeProvider time, ILogger<ReportQuery> log,
    Queues.QueueDirectory? queues = null)
{
    public const long BucketMs = Rollups.BucketMs;

    private ReportOptions O => options.Value;

    private RollupThresholds? _thresholds;

    /// <summary>
    /// The thresholds visits are counted with: the center's, and the service-level T of each queue that has its own.
    /// Made once: the settings are read at start (IOptions), and the wallboard asks for each queue's on every board.
    /// </summary>
    private RollupThresholds Thresholds => _thresholds ??= RollupThresholds.Of(O, queues);

    /// <summary>T of the service level of <paramref name="queue"/>, or of all queues (the center's) when null.</summary>
    public int ServiceLevelSeconds(string? queue) => Thresholds.SecondsOf(queue);

    /// <summary>The service-level target of <paramref name="queue"/> (its own, or the center's), or of all queues when null.</summary>
    public double ServiceLevelTargetPercent(string? queue) =>
        queue is not null && queues?.Has(queue) == true && queues.Find(queue).ServiceLevelTargetPercent is { } own ? own : O.ServiceLevelTargetPercent;

    public TimeZoneInfo Zone => O.Zone;

    /// <summary>The local date of <paramref name="t"/> in the report time zone (today, for now).</summary>
    public DateOnly LocalDate(DateTimeOffset t) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(t, Zone).DateTime);

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

    /// <summary>The report without its list of abandoned callers (empty), for the views that do not show it.</summary>
    public Task<Report> SumsAsync(DateTimeOffset from, DateTimeOffset to, int intervalMinutes, string? queue, CancellationToken ct) =>
        RunAsync(from, to, intervalMinutes, queue, ReportSource.Rollups, ReportParts.Sums, ct);

    public Task<Report> RunAsync(DateTimeOffset from, DateTimeOffset to, int intervalMinutes, string? queue, ReportSource source, CancellationToken ct) =>
        RunAsync(from, to, intervalMinutes, queue, source, ReportParts.All, ct);

    /// <summary>
    /// The report for a range, of one queue (<paramref name="queue"/>) or of all, its sums read from <paramref name="source"/>.
    /// Only the <paramref name="parts"/> asked for are read (a view that shows one table reads only what that table needs);
    /// the others are empty. The abandoned callers are a list, not a sum: the report lists the newest
    /// <see cref="AbandonedListed"/> of the range (a month of a 100-seat center has a hundred thousand;
    /// <see cref="AbandonedCallersAsync"/> reads them all).
    /// </summary>
    public async Task<Report> RunAsync(DateTimeOffset from, DateTimeOffset to, int intervalMinutes, string? queue, ReportSource source,
        ReportParts parts, CancellationToken ct)
    {
        if (intervalMinutes is not (15 or 30 or 60))
        {
            throw new ArgumentOutOfRangeException(nameof(intervalMinutes), "The interval is 15, 30 or 60 minutes.");
        }

        long f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds();
        var dirty = source == ReportSource.Rollups && (parts & (ReportParts.Counts | ReportParts.Menu | ReportParts.Operators)) != 0
            ? await DirtyHoursAsync(f, t, ct)
            : null;

        // The parts are independent: read them at once, on separate connections. Task.Run because
        // Microsoft.Data.Sqlite runs its "async" calls synchronously: without it they would queue up.
        Task<T> Read<T>(ReportParts part, Func<Task<T>> read, T none) => (parts & part) != 0 ? Task.Run(read, ct) : Task.FromResult(none);
        var bucketsTask = Read(ReportParts.Counts, () => BucketsAsync(f, t, queue, dirty, ct), []);
        var sessionsTask = Read(ReportParts.SignedIn | ReportParts.Operators, () => SessionsAsync(from, to, ct), []);
        var abandonedTask = Read(ReportParts.AbandonedCallers, () => AbandonedAsync(from, to, queue, AbandonedListed, ct), []);
        var ivrTask = Read(ReportParts.Menu, () => IvrAsync(f, t, dirty, ct), new IvrChoices(0, 0, 0, 0, 0));
        var operatorRowsTask = Read(ReportParts.Operators, () => OperatorSumsAsync(f, t, queue, dirty, ct), []);
        var statesTask = Read<StateTimes?>(ReportParts.Counts | ReportParts.Operators,
            async () => await StateTimes.ReadAsync(database, f, t, time.GetUtcNow().ToUnixTimeMilliseconds(), ct), null);
        var dispositionsTask = Read(ReportParts.Dispositions, () => DispositionsAsync(f, t, queue, ct), []);
        var notWaitingTask = Read(ReportParts.NotWaiting, () => NotWaitingAsync(f, t, queue, ct), NotWaiting.None);
        await Task.WhenAll(bucketsTask, sessionsTask, abandonedTask, ivrTask, operatorRowsTask, statesTask, dispositionsTask, notWaitingTask);
        var states = await statesTask;
        var buckets = WithWrapUp(await bucketsTask, states);
        var total = buckets.Aggregate(new QueueCounts(), (acc, b) => acc + b.Counts);
        var sessions = await sessionsTask;
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var signedIn = new SignedInTime(sessions.Select(s => (s.StartedAt, s.EndedAt ?? now)));

        // Each bucket's local time once (a time-zone conversion costs more than the sums): its interval, day and weekday × hour.
        var intervals = new SortedDictionary<DateTimeOffset, QueueCounts>();
        var days = new SortedDictionary<DateOnly, QueueCounts>();
        var weekdayHours = new SortedDictionary<(DayOfWeek, int), QueueCounts>();
        foreach (var (bucket, counts) in buckets)
        {
            var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(bucket * BucketMs), Zone);
            Add(intervals, LocalIntervalStart(local, intervalMinutes), counts);
            Add(days, DateOnly.FromDateTime(local.DateTime), counts);
            Add(weekdayHours, (local.DayOfWeek, local.Hour), counts);
        }

        var length = TimeSpan.FromMinutes(intervalMinutes);
        if ((parts & (ReportParts.Counts | ReportParts.QuietIntervals)) == (ReportParts.Counts | ReportParts.QuietIntervals))
        {
            FillEmpty(intervals, days, from, Min(to, time.GetUtcNow()), length);
        }

        // Erlang C for one queue asks for its own service level; for all, the center's.
        var (within, target) = (ServiceLevelSeconds(queue), ServiceLevelTargetPercent(queue));
        var rows = intervals.Select(kv =>
        {
            var m = QueueMetrics.From(kv.Value, O.ServiceLevelFormula);
            var needed = kv.Value.Offered == 0 || m.AverageHandleTimeSeconds <= 0
                ? 0
                : ErlangC.Required(kv.Value.Offered, length, m.AverageHandleTimeSeconds, within, target / 100).Agents;
            var seconds = signedIn.Within(kv.Key.ToUnixTimeMilliseconds(), (kv.Key + length).ToUnixTimeMilliseconds()) / 1000.0;
            return new IntervalRow(kv.Key, m, needed, Math.Round(seconds / length.TotalSeconds, 2));
        }).ToList();

        return new Report(from, to, O.TimeZone, intervalMinutes, O.ServiceLevelFormula, within,
            QueueMetrics.From(total, O.ServiceLevelFormula), rows, Operators(await operatorRowsTask, f, t, sessions, states), await abandonedTask,
            [.. days.Select(kv => new DayRow(kv.Key, QueueMetrics.From(kv.Value, O.ServiceLevelFormula)))],
            [.. weekdayHours.Select(kv => new WeekdayHourRow(kv.Key.Item1, kv.Key.Item2, QueueMetrics.From(kv.Value, O.ServiceLevelFormula)))],
            await ivrTask)
        {
            Dispositions = await dispositionsTask, NotWaiting = await notWaitingTask, ServiceLevelTargetPercent = target,
            QueueServiceLevelSeconds = queue is null ? Thresholds.QueueSeconds : null,
        };
    }

    /// <summary>
    /// Every interval and day of the range up to now is a row, with zero counts where nothing happened: a time axis,
    /// so that a chart does not draw a straight line across a quiet night and a table shows the quiet as quiet.
    /// </summary>
    private void FillEmpty(SortedDictionary<DateTimeOffset, QueueCounts> intervals, SortedDictionary<DateOnly, QueueCounts> days,
        DateTimeOffset from, DateTimeOffset until, TimeSpan length)
    {
        for (var t = from; t < until; t += length)
        {
            var local = TimeZoneInfo.ConvertTime(t, Zone);
            intervals.TryAdd(LocalIntervalStart(local, (int)length.TotalMinutes), new QueueCounts());
            days.TryAdd(DateOnly.FromDateTime(local.DateTime), new QueueCounts());
        }
    }

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;

    private static void Add<TKey>(SortedDictionary<TKey, QueueCounts> sums, TKey key, QueueCounts counts)
        where TKey : notnull =>
        sums[key] = sums.TryGetValue(key, out var c) ? c + counts : counts;

    /// <summary>A dynamic row's columns by name, whatever case the database gave them (PostgreSQL folds aliases to lower case).</summary>
    internal static Dictionary<string, object?> Columns(object row) =>
        new((IDictionary<string, object?>)row, StringComparer.OrdinalIgnoreCase);

    /// <summary>The start, in the report zone, of the local interval that contains <paramref name="t"/>.</summary>
    public DateTimeOffset IntervalStart(DateTimeOffset t, int minutes) => LocalIntervalStart(TimeZoneInfo.ConvertTime(t, Zone), minutes);

    private static DateTimeOffset LocalIntervalStart(DateTimeOffset local, int minutes)
    {
        var floored = new DateTime(local.Year, local.Month, local.Day, local.Hour, local.Minute / minutes * minutes, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(floored, local.Offset);
    }

    private readonly record struct Session(long OperatorId, long StartedAt, long? EndedAt);

    /// <summary>
    /// The sessions that meet the range, through schema 9's ix_operator_sessions_span alone (two parts, so that each is
    /// one index range). Read by hand: a year has a hundred thousand of them.
    /// </summary>
    private Task<List<Session>> SessionsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(
                "SELECT operator_id, started_at, ended_at FROM operator_sessions WHERE ended_at > @from AND started_at < @to " +
                "UNION ALL SELECT operator_id, started_at, ended_at FROM operator_sessions WHERE ended_at IS NULL AND started_at < @to",
                new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() }, cancellationToken: ct));
            var rows = new List<Session>();
            var longs = new LongColumns(reader);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new Session(longs[0], longs[1], reader.IsDBNull(2) ? null : longs[2]));
            }

            return rows;
        }, ct);

    /// <summary>How many abandoned callers a report lists: the newest of its range (its totals count every one).</summary>
    public const int AbandonedListed = 100;

    /// <summary>
    /// Every abandoned caller of a range, oldest first, for the CSV download (a month of a busy center has a hundred
    /// thousand: a report lists only the newest <see cref="AbandonedListed"/>).
    /// </summary>
    public Task<IReadOnlyList<AbandonedCaller>> AbandonedCallersAsync(DateTimeOffset from, DateTimeOffset to, string? queue, CancellationToken ct) =>
        AbandonedAsync(from, to, queue, null, ct);

    /// <summary>
    /// A list, not a sum: always read from the history, through schema 9's ix_queue_visits_abandoned alone (backwards
    /// from the range's end when only the <paramref name="newest"/> are wanted), oldest first.
    /// </summary>
    private Task<IReadOnlyList<AbandonedCaller>> AbandonedAsync(DateTimeOffset from, DateTimeOffset to, string? queue, int? newest, CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<AbandonedCaller>>(async c =>
        {
            await using var reader = await c.ExecuteReaderAsync(new CommandDefinition(
                // "answered_at + 0": keeps planners off the operator index (answered_at is its second column, and a scan of
                // it reads the whole history).
                "SELECT call_sid, from_number, entered_at, wait_seconds FROM queue_visits " +
                "WHERE answered_at + 0 IS NULL AND result = 'hangup' AND entered_at >= @from AND entered_at < @to AND (@queue IS NULL OR queue_name = @queue) " +
                (newest is null ? "ORDER BY entered_at" : "ORDER BY entered_at DESC LIMIT @newest"),
                new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds(), queue, newest }, cancellationToken: ct));
            var rows = new List<AbandonedCaller>();
            var longs = new LongColumns(reader);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new AbandonedCaller(reader.GetString(0).Trim(), reader.IsDBNull(1) ? null : reader.GetString(1),
                    DateTimeOffset.FromUnixTimeMilliseconds(longs[2]), reader.IsDBNull(3) ? null : longs[3]));
            }

            if (newest is not null)
            {
                rows.Reverse();
            }

            return rows;
        }, ct);
}

/// <summary>
/// Integer columns of a result read without boxing where the provider gives them as 64-bit already (SQLite, BIGINT), and
/// converted where it does not (PostgreSQL's and MySQL's INTEGER, sums as NUMERIC or DECIMAL). The type is looked at
/// once per column.
/// </summary>
internal sealed class LongColumns(System.Data.Common.DbDataReader reader)
{
    private readonly bool?[] _exact = new bool?[reader.FieldCount];

    public long this[int i] =>
        (_exact[i] ??= reader.GetFieldType(i) == typeof(long))
            ? reader.GetInt64(i)
            : Convert.ToInt64(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture);
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
