using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>
/// The thresholds the queue rollups count with (MiniCC:Reports); a report with others reads the history instead.
/// <see cref="QueueSeconds"/> holds the queues whose service level has a T of its own (MiniCC:Queues:N:ServiceLevelSeconds):
/// their visits are counted "answered within" their own T, in the rollups and in the history alike.
/// </summary>
public readonly record struct RollupThresholds(int ShortAbandonSeconds, int ServiceLevelSeconds, IReadOnlyDictionary<string, int>? QueueSeconds = null)
{
    public static RollupThresholds Of(ReportOptions options, Queues.QueueDirectory? queues = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var own = queues?.All.Where(q => q.ServiceLevelSeconds is { } s && s != options.ServiceLevelSeconds)
            .ToDictionary(q => q.Name, q => q.ServiceLevelSeconds!.Value, StringComparer.Ordinal);
        return new(options.ShortAbandonSeconds, options.ServiceLevelSeconds, own is { Count: > 0 } ? own : null);
    }

    /// <summary>T of the visits of <paramref name="queue"/> (all queues: the center's).</summary>
    public int SecondsOf(string? queue) =>
        queue is not null && QueueSeconds is not null && QueueSeconds.TryGetValue(queue, out var s) ? s : ServiceLevelSeconds;

    /// <summary>
    /// T as SQL, of the row's <c>queue_name</c>: the parameter <paramref name="center"/> when no queue has its own, or a
    /// CASE over the queues that do (their names are validated as [a-z0-9-], so they are written as literals).
    /// </summary>
    public string WithinSql(string center = "@within") =>
        QueueSeconds is null ? center
            : $"(CASE queue_name {string.Concat(QueueSeconds.OrderBy(q => q.Key, StringComparer.Ordinal).Select(q => $"WHEN '{q.Key}' THEN {q.Value} "))}ELSE {center} END)";

    /// <summary><paramref name="sql"/> with each <c>@within</c> as <see cref="WithinSql"/>.</summary>
    public string Within(string sql) => QueueSeconds is null ? sql : sql.Replace("@within", WithinSql(), StringComparison.Ordinal);
}

/// <summary>
/// Keeps the report rollups (schema 9) equal to the history, whatever order events arrive in. A rollup row is
/// recomputed from the history, never incremented (a longest wait cannot be un-maxed, and a visit is written several
/// times: waiting, pickup, exit). Every event written marks the hours its call touches (<see cref="MarkCalls"/>, or
/// <see cref="MarkAsync"/> for a writer of its own);
/// <see cref="RefreshAsync"/> recomputes marked hours; a report reads marked hours from the history. So a rollup row
/// whose hour is not marked always equals the history, and a report is exact whether or not a refresh has run.
/// </summary>
public static class Rollups
{
    public const long BucketMs = 15 * 60 * 1000;
    public const long HourMs = 60 * 60 * 1000;
    public const long DayMs = 24 * HourMs;

    /// <summary>Rollup spans, in hours.</summary>
    internal const int HourSpan = 1, DaySpan = 24;

    /// <summary>Hours recomputed per transaction: short enough that webhooks waiting behind it on SQLite barely notice.</summary>
    public const int HoursPerRefresh = 24;

    private static readonly string Hour = HourMs.ToString(CultureInfo.InvariantCulture);
    private static readonly string Bucket = BucketMs.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// The seam with the writer. Call it once per write transaction, after the events' derived rows (calls, queue_visits,
    /// operator_sessions) are written and before the commit, with the CallSid of every event written in it (a customer's
    /// or an operator's). It marks the hours of the visits of those calls (as the customer's or as the operator's call),
    /// and of the calls themselves (menu choices), so that reports read those hours from the history until a refresh
    /// recomputes them. It reads through indexes (plain reads: no locks on MySQL) and upserts one row per hour, in hour
    /// order. The upsert changes the mark's gen, so that a refresh running meanwhile leaves the hour marked; on MySQL and
    /// PostgreSQL it also holds that row's lock until the commit, so two writers (instances) that touch the same hour
    /// commit one after the other. It relies on a visit's <c>entered_at</c> and <c>queue_name</c> and a call's
    /// <c>started_at</c> never changing once written: a writer that moves one must call it before the move too.
    /// </summary>
    public static async Task MarkAsync(DbConnection c, DbTransaction tx, SqlDialect d, IReadOnlyCollection<string> callSids, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(c);
        ArgumentNullException.ThrowIfNull(d);
        ArgumentNullException.ThrowIfNull(callSids);
        var hours = new SortedSet<long>();
        foreach (var chunk in callSids.Distinct(StringComparer.Ordinal).Chunk(500))
        {
            hours.UnionWith(await c.QueryAsync<long>(new CommandDefinition(HoursOfCallsSql(d), new { chunk }, tx, cancellationToken: ct)));
        }

        foreach (var chunk in hours.Chunk(500))
        {
            var p = new DynamicParameters();
            var values = string.Join(", ", chunk.Select((h, i) =>
            {
                p.Add(Name("h", i), h);
                return $"(@{Name("h", i)}, 1)";
            }));
            await c.ExecuteAsync(new CommandDefinition(
                $"INSERT INTO rollup_dirty (hour, gen) VALUES {values} {d.OnConflictUpdate("hour", "gen = rollup_dirty.gen + 1")}",
                p, tx, cancellationToken: ct));
        }
    }

    /// <summary>
    /// The seam with the writer: adds to <paramref name="sql"/>, after the events' derived rows, the one statement that
    /// marks the hours of the visits of <paramref name="callSids"/> (as the customer's or the operator's call) and of the
    /// calls themselves, as <see cref="MarkAsync"/> does, but in the same round trip as the events' other statements. It
    /// takes the marks' row locks in hour order, each once.
    /// </summary>
    public static void MarkCalls(SqlBatch sql, IReadOnlyList<string> callSids)
    {
        ArgumentNullException.ThrowIfNull(sql);
        ArgumentNullException.ThrowIfNull(callSids);
        if (callSids.Count == 0)
        {
            return;
        }

        var args = new SqlBatch.Arg[callSids.Count];
        for (var i = 0; i < args.Length; i++)
        {
            args[i] = SqlBatch.A(MarkNames[i], callSids[i]);
        }

        sql.Add(MarkCallsSql(sql.D, callSids.Count), args);
    }

    private static readonly string[] MarkNames = [.. Enumerable.Range(0, Storage.HistoryWriter.MaxBatch).Select(i => Name("m", i))];

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(string, int), string> MarkCallsSqls = new();

    /// <summary>The statement of <see cref="MarkCalls"/> for <paramref name="count"/> CallSids (<c>@m0</c>, <c>@m1</c>, …).</summary>
    internal static string MarkCallsSql(SqlDialect d, int count) => MarkCallsSqls.GetOrAdd((d.Name, count), _ =>
    {
        var list = "(" + string.Join(", ", MarkNames.Take(count).Select(n => "@" + n)) + ")";
        return $"""
            INSERT INTO rollup_dirty (hour, gen)
            SELECT h, 1 FROM ({HoursOf(d, column => $"{column} IN {list}")}) marked WHERE h IS NOT NULL ORDER BY h
            {d.OnConflictUpdate("hour", "gen = rollup_dirty.gen + 1")}
            """;
    });

    /// <summary>The hours of the visits of the CallSids in <c>@chunk</c> (as the customer's call or the operator's), and of those calls.</summary>
    internal static string HoursOfCallsSql(SqlDialect d) => HoursOf(d, column => d.In(column, "@chunk"));

    /// <summary>The hours (column <c>h</c>) of the visits of some calls, as the customer's call or the operator's, and of those calls; <paramref name="isOneOf"/> says which calls.</summary>
    private static string HoursOf(SqlDialect d, Func<string, string> isOneOf) =>
        $"""
        SELECT {d.IntDiv("entered_at", Hour)} AS h FROM queue_visits WHERE {isOneOf("call_sid")}
        UNION SELECT {d.IntDiv("entered_at", Hour)} FROM queue_visits WHERE {isOneOf("operator_call_sid")}
        UNION SELECT {d.IntDiv("started_at", Hour)} FROM calls WHERE {isOneOf("call_sid")}
        """;

    /// <summary>Recomputes up to <paramref name="maxHours"/> marked hours (and their days) in one transaction; returns how many.</summary>
    public static Task<int> RefreshAsync(Database database, RollupThresholds thresholds, int maxHours, CancellationToken ct) =>
        RefreshAsync(database, thresholds, maxHours, null, ct);

    /// <summary>
    /// Recomputes up to <paramref name="maxHours"/> marked hours before <paramref name="beforeHour"/> (every marked hour
    /// when null) and their days in one transaction; returns how many.
    /// </summary>
    public static Task<int> RefreshAsync(Database database, RollupThresholds thresholds, int maxHours, long? beforeHour, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var d = database.Dialect;
        return database.WriteAsync(async (c, tx) =>
        {
            // One refresh at a time (a day is added up from its hours); on MySQL at READ COMMITTED, like PostgreSQL's
            // default, so that each statement sees what committed before it and INSERT … SELECT locks no history rows.
            await c.ExecuteScalarAsync(new CommandDefinition($"SELECT id FROM rollup_lock WHERE id = 1 {d.ForUpdate}", transaction: tx, cancellationToken: ct));
            var marks = (await c.QueryAsync<(long Hour, long Gen)>(new CommandDefinition(
                $"SELECT hour, gen FROM rollup_dirty WHERE @beforeHour IS NULL OR hour < @beforeHour ORDER BY hour LIMIT {maxHours.ToString(CultureInfo.InvariantCulture)}",
                new { beforeHour }, transaction: tx, cancellationToken: ct))).ToList();
            foreach (var run in Runs(marks.Select(m => m.Hour)))
            {
                await RecomputeHoursAsync(c, tx, d, run, thresholds, ct);
            }

            foreach (var run in Runs(marks.Select(m => RollupPlan.FloorDiv(m.Hour, DaySpan)).Distinct()))
            {
                await RecomputeDaysAsync(c, tx, d, run, ct);
            }

            // A mark whose gen changed since it was read was made by a write this refresh may not have seen: it stays.
            foreach (var chunk in marks.Chunk(200))
            {
                var p = new DynamicParameters();
                var where = string.Join(" OR ", chunk.Select((m, i) =>
                {
                    p.Add(Name("h", i), m.Hour);
                    p.Add(Name("g", i), m.Gen);
                    return $"(hour = @{Name("h", i)} AND gen = @{Name("g", i)})";
                }));
                await c.ExecuteAsync(new CommandDefinition($"DELETE FROM rollup_dirty WHERE {where}", p, tx, cancellationToken: ct));
            }

            return marks.Count;
        }, ReadCommittedOnMySql(d), ct);
    }

    /// <summary>
    /// Refreshes the hours marked now, a transaction at a time; returns how many were recomputed. Hours that writes mark
    /// meanwhile wait for the next call: while calls are written the current hour is marked again and again, and a loop
    /// "until none is marked" would never end.
    /// </summary>
    public static Task<long> RefreshAllAsync(Database database, RollupThresholds thresholds, IProgress<long>? progress, CancellationToken ct) =>
        RefreshAllAsync(database, thresholds, progress, null, ct);

    /// <summary>As <see cref="RefreshAllAsync(Database, RollupThresholds, IProgress{long}?, CancellationToken)"/>, the hours before <paramref name="beforeHour"/> only.</summary>
    public static async Task<long> RefreshAllAsync(Database database, RollupThresholds thresholds, IProgress<long>? progress, long? beforeHour, CancellationToken ct)
    {
        long total = 0;
        int n;
        do
        {
            n = await RefreshAsync(database, thresholds, HoursPerRefresh, beforeHour, ct);
            total += n;
            if (n > 0)
            {
                progress?.Report(total);
            }
        }
        while (n == HoursPerRefresh);

        return total;
    }

    /// <summary>
    /// Marks every hour that has history or rollups (after rows were written without <see cref="MarkAsync"/>: an import,
    /// a generator), then refreshes them all. Reports stay exact throughout: marked hours are read from the history.
    /// </summary>
    public static async Task<long> RebuildAsync(Database database, RollupThresholds thresholds, IProgress<long>? progress, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var d = database.Dialect;
        await database.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO rollup_dirty (hour, gen)
            SELECT h, 1 FROM (
                SELECT {d.IntDiv("entered_at", Hour)} AS h FROM queue_visits
                UNION SELECT {d.IntDiv("started_at", Hour)} FROM calls
                UNION SELECT {d.IntDiv("bucket", "4")} FROM rollup_queue
                UNION SELECT slot FROM rollup_operators WHERE span = {HourSpan}
                UNION SELECT slot * {DaySpan} FROM rollup_operators WHERE span = {DaySpan}
                UNION SELECT slot FROM rollup_ivr WHERE span = {HourSpan}
                UNION SELECT slot * {DaySpan} FROM rollup_ivr WHERE span = {DaySpan}
                UNION SELECT slot FROM rollup_menu WHERE span = {HourSpan}
                UNION SELECT slot * {DaySpan} FROM rollup_menu WHERE span = {DaySpan}
            ) everything WHERE 1 = 1
            {d.OnConflictUpdate("hour", "gen = rollup_dirty.gen + 1")}
            """, transaction: tx, commandTimeout: 3600, cancellationToken: ct)), ReadCommittedOnMySql(d), ct);
        return await RefreshAllAsync(database, thresholds, progress, ct);
    }

    /// <summary>Marks the hours whose queue rollups were counted with other thresholds; returns how many hours.</summary>
    public static Task<int> MarkOtherThresholdsAsync(Database database, RollupThresholds thresholds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        var d = database.Dialect;
        return database.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO rollup_dirty (hour, gen)
            SELECT DISTINCT {d.IntDiv("bucket", "4")}, 1 FROM rollup_queue
            WHERE short_abandon_seconds <> @ShortAbandonSeconds OR service_level_seconds <> {thresholds.WithinSql("@ServiceLevelSeconds")}
            {d.OnConflictUpdate("hour", "gen = rollup_dirty.gen + 1")}
            """, thresholds, tx, commandTimeout: 600, cancellationToken: ct)), ReadCommittedOnMySql(d), ct);
    }

    /// <summary>How many hours are marked (waiting for a refresh).</summary>
    public static Task<long> MarkedHoursAsync(Database database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(database);
        return database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM rollup_dirty", cancellationToken: ct)), ct);
    }

    private static Task RecomputeHoursAsync(DbConnection c, DbTransaction tx, SqlDialect d, SlotRange hours, RollupThresholds t, CancellationToken ct)
    {
        var bucket = d.IntDiv("entered_at", Bucket);
        var hour = d.IntDiv("entered_at", Hour);
        var started = d.IntDiv("started_at", Hour);
        return c.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM rollup_queue WHERE bucket >= @b0 AND bucket < @b1;
            INSERT INTO rollup_queue (bucket, queue_name, {RollupSql.Queue.Columns()}, short_abandon_seconds, service_level_seconds)
            SELECT {bucket}, queue_name, {t.Within(RollupSql.Queue.Stored())}, @shortAbandon, {t.WithinSql()}
            FROM queue_visits WHERE entered_at >= @t0 AND entered_at < @t1
            GROUP BY {bucket}, queue_name;
            DELETE FROM rollup_operators WHERE span = {HourSpan} AND slot >= @h0 AND slot < @h1;
            INSERT INTO rollup_operators (span, slot, queue_name, operator_id, {RollupSql.Operators.Columns()})
            SELECT {HourSpan}, {hour}, queue_name, COALESCE(operator_id, 0), {RollupSql.Operators.Stored()}
            FROM queue_visits WHERE answered_at IS NOT NULL AND entered_at >= @t0 AND entered_at < @t1
            GROUP BY {hour}, queue_name, COALESCE(operator_id, 0);
            DELETE FROM rollup_ivr WHERE span = {HourSpan} AND slot >= @h0 AND slot < @h1;
            INSERT INTO rollup_ivr (span, slot, {RollupSql.Ivr.Columns()})
            SELECT {HourSpan}, {started}, {RollupSql.Ivr.Stored()}
            FROM calls WHERE role = 'customer' AND started_at >= @t0 AND started_at < @t1
            GROUP BY {started};
            DELETE FROM rollup_menu WHERE span = {HourSpan} AND slot >= @h0 AND slot < @h1;
            INSERT INTO rollup_menu (span, slot, choice, calls)
            SELECT {HourSpan}, {started}, ivr_choice, COUNT(*)
            FROM calls WHERE role = 'customer' AND ivr_choice IS NOT NULL AND started_at >= @t0 AND started_at < @t1
            GROUP BY {started}, ivr_choice;
            """, new
        {
            b0 = hours.From * 4, b1 = hours.To * 4, h0 = hours.From, h1 = hours.To, t0 = hours.From * HourMs, t1 = hours.To * HourMs,
            shortAbandon = t.ShortAbandonSeconds, within = t.ServiceLevelSeconds,
        }, tx, commandTimeout: 600, cancellationToken: ct));
    }

    /// <summary>A day's rows are its hours' rows added up (the hours were recomputed first, in the same transaction).</summary>
    private static Task RecomputeDaysAsync(DbConnection c, DbTransaction tx, SqlDialect d, SlotRange days, CancellationToken ct)
    {
        var day = d.IntDiv("slot", DaySpan.ToString(CultureInfo.InvariantCulture));
        return c.ExecuteAsync(new CommandDefinition(
            $"""
            DELETE FROM rollup_operators WHERE span = {DaySpan} AND slot >= @d0 AND slot < @d1;
            INSERT INTO rollup_operators (span, slot, queue_name, operator_id, {RollupSql.Operators.Columns()})
            SELECT {DaySpan}, {day}, queue_name, operator_id, {RollupSql.Operators.CombinedColumns()}
            FROM rollup_operators WHERE span = {HourSpan} AND slot >= @h0 AND slot < @h1
            GROUP BY {day}, queue_name, operator_id;
            DELETE FROM rollup_ivr WHERE span = {DaySpan} AND slot >= @d0 AND slot < @d1;
            INSERT INTO rollup_ivr (span, slot, {RollupSql.Ivr.Columns()})
            SELECT {DaySpan}, {day}, {RollupSql.Ivr.CombinedColumns()}
            FROM rollup_ivr WHERE span = {HourSpan} AND slot >= @h0 AND slot < @h1
            GROUP BY {day};
            DELETE FROM rollup_menu WHERE span = {DaySpan} AND slot >= @d0 AND slot < @d1;
            INSERT INTO rollup_menu (span, slot, choice, calls)
            SELECT {DaySpan}, {day}, choice, SUM(calls)
            FROM rollup_menu WHERE span = {HourSpan} AND slot >= @h0 AND slot < @h1
            GROUP BY {day}, choice;
            """, new { d0 = days.From, d1 = days.To, h0 = days.From * DaySpan, h1 = days.To * DaySpan }, tx, commandTimeout: 600, cancellationToken: ct));
    }

    /// <summary>Consecutive values as ranges: 3, 4, 5, 9 → [3, 6), [9, 10).</summary>
    private static IEnumerable<SlotRange> Runs(IEnumerable<long> sorted)
    {
        SlotRange? run = null;
        foreach (var v in sorted)
        {
            if (run is { } r && r.To == v)
            {
                run = r with { To = v + 1 };
                continue;
            }

            if (run is { } done)
            {
                yield return done;
            }

            run = new SlotRange(v, v + 1);
        }

        if (run is { } last)
        {
            yield return last;
        }
    }

    private static IsolationLevel ReadCommittedOnMySql(SqlDialect d) =>
        d == SqlDialect.MySql ? IsolationLevel.ReadCommitted : IsolationLevel.Unspecified;

    private static string Name(string prefix, int i) => prefix + i.ToString(CultureInfo.InvariantCulture);
}
