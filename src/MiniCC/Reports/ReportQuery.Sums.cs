using System.Data;
using System.Data.Common;
using Dapper;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>
/// The report's sums (queue counts per bucket, operators, menu choices): from the rollups for the slots they hold and
/// whose hour is not marked, and from the history for the rest (<see cref="RollupPlan"/>). A marked hour is one a write
/// changed since it was last rolled up; reading it from the history keeps the report exact before any refresh.
/// </summary>
public sealed partial class ReportQuery
{
    /// <summary>So many ranges per statement at most (each is two parameters); more are read in several statements.</summary>
    private const int RangesPerStatement = 100;

    internal sealed record OperatorSums
    {
        public long? OperatorId { get; init; }
        public string? Phone { get; init; }
        public string? Name { get; init; }
        public long CallsTaken { get; init; }
        public long TalkSum { get; init; }
        public long TalkCount { get; init; }
        public long? FirstCall { get; init; }
        public long? LastCall { get; init; }
    }

    private sealed record Directory
    {
        public long Id { get; init; }
        public string? Phone { get; init; }
        public string? Name { get; init; }
    }

    private sealed record IvrSums
    {
        public long? Calls { get; init; }
        public long? ChoseOperator { get; init; }
        public long? Information { get; init; }
        public long? Invalid { get; init; }
        public long? NoInput { get; init; }
    }

    private sealed record ChoiceSums
    {
        public string Choice { get; init; } = "";
        public long Calls { get; init; }
    }

    private readonly record struct BucketRow(long Bucket, string Queue, long ShortAbandonSeconds, long ServiceLevelSeconds, QueueCounts Counts);

    /// <summary>
    /// Bucket rows read by hand: a year has 35,040 buckets of 18 columns, and boxing each value (as Dapper does) doubles the time.
    /// The columns: Bucket, <see cref="RollupSql.Queue"/> in its order (that of <see cref="QueueCounts"/>), the thresholds, the queue.
    /// </summary>
    private static async Task<IEnumerable<BucketRow>> ReadBucketsAsync(DbConnection c, CommandDefinition command)
    {
        await using var reader = await c.ExecuteReaderAsync(command);
        var rows = new List<BucketRow>();
        var l = new LongColumns(reader);
        while (await reader.ReadAsync(command.CancellationToken))
        {
            rows.Add(new BucketRow(l[0], reader.GetString(17).Trim(), l[15], l[16], new QueueCounts
            {
                Offered = l[1], Answered = l[2], Abandoned = l[3], ShortAbandoned = l[4], OtherExits = l[5], StillWaiting = l[6],
                AnsweredWaitSum = l[7], AnsweredWithin = l[8], AbandonedWithin = l[9], TalkSum = l[10], TalkCount = l[11],
                MaxWait = l[12], WaitSum = l[13], WaitCount = l[14],
            }));
        }

        return rows;
    }

    /// <summary>The marked hours that meet [from, to).</summary>
    private Task<SortedSet<long>> DirtyHoursAsync(long from, long to, CancellationToken ct) =>
        database.ReadAsync(async c => new SortedSet<long>(await c.QueryAsync<long>(new CommandDefinition(
            "SELECT hour FROM rollup_dirty WHERE hour >= @h0 AND hour < @h1",
            new { h0 = RollupPlan.FloorDiv(from, Rollups.HourMs), h1 = RollupPlan.CeilDiv(to, Rollups.HourMs) }, cancellationToken: ct))), ct);

    private async Task<IReadOnlyList<(long Bucket, QueueCounts Counts)>> BucketsAsync(long from, long to, string? queue, SortedSet<long>? dirty, CancellationToken ct)
    {
        var buckets = new SortedDictionary<long, QueueCounts>();
        foreach (var row in await BucketRowsAsync(from, to, queue, dirty, ct))
        {
            buckets[row.Bucket] = buckets.TryGetValue(row.Bucket, out var c) ? c + row.Counts : row.Counts;
        }

        return [.. buckets.Select(kv => (kv.Key, kv.Value))];
    }

    /// <summary>The sums of the visits that entered in [from, to), per queue (the wallboard's today by queue).</summary>
    public async Task<IReadOnlyDictionary<string, QueueCounts>> QueueSumsAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        long f = from.ToUnixTimeMilliseconds(), t = to.ToUnixTimeMilliseconds();
        var sums = new SortedDictionary<string, QueueCounts>(StringComparer.Ordinal);
        foreach (var row in await BucketRowsAsync(f, t, null, await DirtyHoursAsync(f, t, ct), ct))
        {
            sums[row.Queue] = sums.TryGetValue(row.Queue, out var c) ? c + row.Counts : row.Counts;
        }

        return sums;
    }

    /// <summary>Per 15-minute bucket and queue: the rollups' rows where they hold the hour with these thresholds, the history's elsewhere.</summary>
    private async Task<List<BucketRow>> BucketRowsAsync(long from, long to, string? queue, SortedSet<long>? dirty, CancellationToken ct)
    {
        var plan = RollupPlan.Of(from, to, dirty, Rollups.BucketMs);
        var d = database.Dialect;
        var thresholds = Thresholds;
        // Rows as they are, added up here: a GROUP BY costs SQLite more than the rows themselves (one per queue and bucket).
        var stored = Task.Run(() => ReadAsync(ReadBucketsAsync, plan.Slots.Count > 0 ? plan.Slots[0] : [], queue, ranges =>
            $"""
            SELECT bucket AS Bucket, {RollupSql.Queue.Aliased()}, short_abandon_seconds AS ShortAbandonSeconds, service_level_seconds AS ServiceLevelSeconds,
                queue_name AS Queue
            FROM rollup_queue WHERE {ranges("bucket")} AND (@queue IS NULL OR queue_name = @queue)
            """, ct), ct);
        var history = Task.Run(() => ReadAsync(ReadBucketsAsync, plan.History, queue, ranges =>
            $"""
            SELECT {d.IntDiv("entered_at", "900000")} AS Bucket, {thresholds.Within(RollupSql.Queue.FromHistory())},
                @shortAbandon AS ShortAbandonSeconds, {thresholds.WithinSql()} AS ServiceLevelSeconds, queue_name AS Queue
            FROM queue_visits WHERE {ranges("entered_at")} AND (@queue IS NULL OR queue_name = @queue)
            GROUP BY {d.IntDiv("entered_at", "900000")}, queue_name
            """, ct), ct);
        var rows = await stored;
        var stale = rows.Where(r => r.ShortAbandonSeconds != thresholds.ShortAbandonSeconds || r.ServiceLevelSeconds != thresholds.SecondsOf(r.Queue))
            .Select(r => RollupPlan.FloorDiv(r.Bucket * Rollups.BucketMs, Rollups.HourMs)).ToHashSet();
        if (stale.Count > 0)
        {
            // Counted with other thresholds (the settings changed, or another instance has others): read those hours from
            // the history until a refresh counts them again with these (RollupRefresher does at start).
            RollupLog.OtherThresholds(log, stale.Count, thresholds.ShortAbandonSeconds, thresholds.ServiceLevelSeconds);
            await history;
            return await BucketRowsAsync(from, to, queue, new SortedSet<long>(dirty!.Concat(stale)), ct);
        }

        rows.AddRange(await history);
        return rows;
    }

    /// <summary>Per operator: calls answered, talk, first and last answer, of the visits that entered in the range.</summary>
    private async Task<IReadOnlyList<OperatorSums>> OperatorSumsAsync(long from, long to, string? queue, SortedSet<long>? dirty, CancellationToken ct)
    {
        var plan = RollupPlan.Of(from, to, dirty, Rollups.DayMs, Rollups.HourMs);
        var stored = Task.Run(() => ReadSpansAsync<OperatorSums>(plan, queue, spans =>
            $"""
            SELECT operator_id AS OperatorId, {RollupSql.Operators.Combined()}
            FROM rollup_operators WHERE {spans} AND (@queue IS NULL OR queue_name = @queue)
            GROUP BY operator_id
            """, ct), ct);
        var history = Task.Run(() => ReadAsync(Dapper<OperatorSums>, plan.History, queue, ranges =>
            $"""
            SELECT COALESCE(operator_id, 0) AS OperatorId, {RollupSql.Operators.FromHistory()}
            FROM queue_visits WHERE answered_at IS NOT NULL AND {ranges("entered_at")} AND (@queue IS NULL OR queue_name = @queue)
            GROUP BY COALESCE(operator_id, 0)
            """, ct), ct);
        var directory = await database.ReadAsync(async c => (await c.QueryAsync<Directory>(new CommandDefinition(
            "SELECT id AS Id, phone AS Phone, name AS Name FROM operator_directory", cancellationToken: ct))).ToDictionary(o => o.Id), ct);
        return (await stored).Concat(await history)
            .GroupBy(o => o.OperatorId ?? 0)
            .Select(g => new OperatorSums
            {
                OperatorId = g.Key == 0 ? null : g.Key,
                Phone = directory.GetValueOrDefault(g.Key)?.Phone,
                Name = directory.GetValueOrDefault(g.Key)?.Name,
                CallsTaken = g.Sum(o => o.CallsTaken),
                TalkSum = g.Sum(o => o.TalkSum),
                TalkCount = g.Sum(o => o.TalkCount),
                FirstCall = g.Min(o => o.FirstCall),
                LastCall = g.Max(o => o.LastCall),
            })
            .OrderByDescending(o => o.CallsTaken).ThenBy(o => o.OperatorId)
            .ToList();
    }

    /// <summary>Menu choices of the customers' calls that started in the range (any queue: a call may never reach one).</summary>
    private async Task<IvrChoices> IvrAsync(long from, long to, SortedSet<long>? dirty, CancellationToken ct)
    {
        var plan = RollupPlan.Of(from, to, dirty, Rollups.DayMs, Rollups.HourMs);
        var stored = Task.Run(() => ReadSpansAsync<IvrSums>(plan, null, spans =>
            $"SELECT {RollupSql.Ivr.Combined()} FROM rollup_ivr WHERE {spans}", ct), ct);
        var history = Task.Run(() => ReadAsync(Dapper<IvrSums>, plan.History, null, ranges =>
            $"SELECT {RollupSql.Ivr.FromHistory()} FROM calls WHERE role = 'customer' AND {ranges("started_at")}", ct), ct);
        var choices = Task.Run(() => MenuChoicesAsync(plan, ct), ct);
        var all = (await stored).Concat(await history).ToList();
        long N(Func<IvrSums, long?> of) => all.Sum(r => of(r) ?? 0);
        return new IvrChoices(N(r => r.ChoseOperator), N(r => r.Information), N(r => r.Invalid), N(r => r.NoInput), N(r => r.Calls))
        {
            Choices = await choices,
        };
    }

    /// <summary>Every menu choice by name (a center's own menu's options), most first, of the customers' calls that started in the plan's range.</summary>
    private async Task<IReadOnlyList<MenuChoiceCount>> MenuChoicesAsync(RollupPlan plan, CancellationToken ct)
    {
        var stored = await ReadSpansAsync<ChoiceSums>(plan, null, spans =>
            $"SELECT choice AS Choice, SUM(calls) AS Calls FROM rollup_menu WHERE {spans} GROUP BY choice", ct);
        var history = await ReadAsync(Dapper<ChoiceSums>, plan.History, null, ranges =>
            $"""
            SELECT ivr_choice AS Choice, COUNT(*) AS Calls FROM calls
            WHERE role = 'customer' AND ivr_choice IS NOT NULL AND {ranges("started_at")} GROUP BY ivr_choice
            """, ct);
        return [.. stored.Concat(history)
            .GroupBy(c => c.Choice.Trim(), StringComparer.Ordinal)
            .Select(g => new MenuChoiceCount(g.Key, g.Sum(c => c.Calls)))
            .OrderByDescending(c => c.Calls).ThenBy(c => c.Choice, StringComparer.Ordinal)];
    }

    /// <summary>Runs <paramref name="sql"/> (given the WHERE for a column over some ranges) for <paramref name="ranges"/>, in statements of a bounded size.</summary>
    private async Task<List<T>> ReadAsync<T>(Func<DbConnection, CommandDefinition, Task<IEnumerable<T>>> query,
        IReadOnlyList<SlotRange> ranges, string? queue, Func<Func<string, string>, string> sql, CancellationToken ct)
    {
        var rows = new List<T>();
        foreach (var chunk in ranges.Chunk(RangesPerStatement))
        {
            var p = Parameters(queue);
            rows.AddRange(await database.ReadAsync(c => query(c, new CommandDefinition(
                sql(column => RollupPlan.Where(column, chunk, p, "r")), p, cancellationToken: ct)), ct));
        }

        return rows;
    }

    private static Task<IEnumerable<T>> Dapper<T>(DbConnection c, CommandDefinition command) => c.QueryAsync<T>(command);

    /// <summary>Like <see cref="ReadAsync{T}"/> over rollup rows of both spans: the plan's days (first level) and hours (second).</summary>
    private async Task<List<T>> ReadSpansAsync<T>(RollupPlan plan, string? queue, Func<string, string> sql, CancellationToken ct)
    {
        var rows = new List<T>();
        var spans = plan.Slots.Select((ranges, level) => (Span: level == 0 ? Rollups.DaySpan : Rollups.HourSpan, Ranges: ranges));
        foreach (var (span, ranges) in spans)
        {
            foreach (var chunk in ranges.Chunk(RangesPerStatement))
            {
                var p = Parameters(queue);
                var where = RollupPlan.Where("slot", chunk, p, "r", span);
                rows.AddRange(await database.ReadAsync(c => c.QueryAsync<T>(new CommandDefinition(sql(where), p, cancellationToken: ct)), ct));
            }
        }

        return rows;
    }

    private DynamicParameters Parameters(string? queue)
    {
        var p = new DynamicParameters();
        p.Add("queue", queue, DbType.String);
        p.Add("shortAbandon", O.ShortAbandonSeconds);
        p.Add("within", O.ServiceLevelSeconds);
        return p;
    }
}

internal static partial class RollupLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "{Hours} hours of queue rollups were counted with other thresholds than ShortAbandonSeconds={ShortAbandon}, ServiceLevelSeconds={Within}: a report reads them from the history until they are refreshed")]
    public static partial void OtherThresholds(ILogger logger, int hours, int shortAbandon, int within);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The rollup refresh failed; it is tried again later (reports read unrefreshed hours from the history)")]
    public static partial void RefreshFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rolled up {Hours} hours of history")]
    public static partial void Refreshed(ILogger logger, long hours);
}
