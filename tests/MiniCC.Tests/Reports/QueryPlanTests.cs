using Dapper;
using MiniCC.Reports;

namespace MiniCC.Tests.Reports;

/// <summary>The wallboard refreshes every few seconds on every screen: it must never scan the history.</summary>
public sealed class QueryPlanTests : IDisposable
{
    private readonly MiniCCFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task TheWallboardReadsOnlyThroughIndexes()
    {
        // Some history, so that the planner has something to choose about.
        await _app.Database.WriteAsync((c, tx) => c.ExecuteAsync("""
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000)
            INSERT INTO queue_visits (call_sid, queue_sid, queue_name, entered_at, exited_at, result)
            SELECT 'CA' || substr('00000000000000000000000000000000' || n, -32, 32), 'QU1', 'MiniCC', n * 1000, n * 1000 + 5000, 'hangup' FROM s
            """, transaction: tx), default);
        await _app.Database.WriteAsync((c, tx) => c.ExecuteAsync("ANALYZE", transaction: tx, commandType: System.Data.CommandType.Text), default);

        var plan = (await _app.Database.ReadAsync(c => c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + LiveQuery.WallboardSql, new { since = 0L }), default)).Select(p => p.Detail).ToList();

        Assert.NotEmpty(plan);
        Assert.DoesNotContain(plan, d => d.StartsWith("SCAN queue_visits", StringComparison.Ordinal) || d.StartsWith("SCAN operator_sessions", StringComparison.Ordinal));
        Assert.Contains(plan, d => d.Contains("USING INDEX ix_queue_visits_open", StringComparison.Ordinal) || d.Contains("USING COVERING INDEX ix_queue_visits_open", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheWallboardsListsReadOnlyOpenRowsAndEachSessionsOwnVisitsThroughIndexes()
    {
        // A day of finished visits and sessions (each session took fifty calls), and a few open ones.
        await _app.Database.WriteAsync((c, tx) => c.ExecuteAsync("""
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000)
            INSERT INTO queue_visits (call_sid, queue_sid, queue_name, from_number, entered_at, answered_at, operator_call_sid, exited_at, result)
            SELECT 'CA' || substr('00000000000000000000000000000000' || n, -32, 32), 'QU1', 'MiniCC', '+8190' || n, n * 1000, n * 1000 + 500,
                'CO' || substr('00000000000000000000000000000000' || (n / 50), -32, 32),
                CASE WHEN n % 1000 = 0 THEN NULL ELSE n * 1000 + 5000 END, 'bridged' FROM s;
            WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < 100)
            INSERT INTO operator_sessions (call_sid, operator_id, phone, started_at, ended_at)
            SELECT 'CO' || substr('00000000000000000000000000000000' || n, -32, 32), n, '+8180' || n, n * 50000,
                CASE WHEN n % 20 = 0 THEN NULL ELSE n * 50000 + 50000 END FROM s;
            """, transaction: tx), default);
        await _app.Database.WriteAsync((c, tx) => c.ExecuteAsync("ANALYZE", transaction: tx, commandType: System.Data.CommandType.Text), default);

        var callers = (await _app.Database.ReadAsync(c => c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + LiveQuery.CallersSql, new { since = 0L }), default)).Select(p => p.Detail).ToList();
        // Open visits only, already in the order shown (no sort).
        Assert.Equal(["SEARCH queue_visits USING INDEX ix_queue_visits_open (exited_at=? AND entered_at>?)"], callers);

        // Per queue: the same open rows, grouped (a sort of the few open rows, never a scan of the day).
        var queues = (await _app.Database.ReadAsync(c => c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + LiveQuery.QueuesSql, new { since = 0L }), default)).Select(p => p.Detail).ToList();
        Assert.Contains("SEARCH queue_visits USING INDEX ix_queue_visits_open (exited_at=? AND entered_at>?)", queues);
        Assert.DoesNotContain(queues, d => d.StartsWith("SCAN", StringComparison.Ordinal));

        var operators = (await _app.Database.ReadAsync(c => c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + LiveQuery.OperatorsSql, new { since = 0L }), default)).Select(p => p.Detail).ToList();
        // The open pickup by the open rows or by the session's call (the planner picks the fewer), the end of the last
        // visit by the session's call: never a range of the day's visits.
        Assert.Contains(operators, d => d.StartsWith("SEARCH v USING INDEX ix_queue_visits_open (exited_at=? AND entered_at>?)", StringComparison.Ordinal)
            || d.StartsWith("SEARCH v USING INDEX ix_queue_visits_operator_call (operator_call_sid=?)", StringComparison.Ordinal));
        Assert.Contains("SEARCH x USING INDEX ix_queue_visits_operator_call (operator_call_sid=?)", operators);
        Assert.Contains(operators, d => d.StartsWith("SEARCH d USING INTEGER PRIMARY KEY", StringComparison.Ordinal));
        Assert.Contains(operators, d => d.StartsWith("SEARCH s USING INDEX ix_operator_sessions_", StringComparison.Ordinal) && d.Contains("(ended_at=?", StringComparison.Ordinal));
        Assert.DoesNotContain(operators, d => d.StartsWith("SCAN ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheFeedsLookAtTheHistoryReadsOnlyTheNewestEventsByTheirKey()
    {
        var plans = new List<string>();
        foreach (var sql in new[] { HistoryChanges.NewestSql, HistoryChanges.MarkerSql })
        {
            plans.AddRange((await _app.Database.ReadAsync(c => c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
                "EXPLAIN QUERY PLAN " + sql, new { floor = 0L }), default)).Select(p => p.Detail));
        }

        Assert.Equal(["SEARCH call_events", "SEARCH call_events USING INTEGER PRIMARY KEY (rowid>?)"], plans);
    }

    [Fact]
    public async Task TheReportReadsItsRangeThroughAnIndexThatBeginsWithTheEntryTime()
    {
        // Schema 10 dropped the index on entered_at alone: a wider one that begins with it serves the range.
        var sql = "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM queue_visits WHERE entered_at >= @from AND entered_at < @to";
        var plan = (await _app.Database.ReadAsync(c => c.QueryAsync<(long, long, long, string Detail)>(sql, new { from = 0L, to = 1L }), default)).Select(p => p.Detail).ToList();
        Assert.Contains(plan, d => d.StartsWith("SEARCH queue_visits USING COVERING INDEX ", StringComparison.Ordinal)
            && d.Contains("(entered_at>? AND entered_at<?)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CallsPerDispositionAreCountedFromTheirOwnIndexAlone()
    {
        // Whether or not the report is of one queue: never a scan of every disposition, and never the queue visits.
        foreach (var queue in new[] { null, "MiniCC" })
        {
            var plan = (await _app.Database.ReadAsync(c => c.QueryAsync<(long, long, long, string Detail)>(
                "EXPLAIN QUERY PLAN " + ReportQuery.DispositionsSql, new { from = 0L, to = 1L, queue }), default)).Select(p => p.Detail).ToList();
            Assert.Contains(plan, d => d.StartsWith("SEARCH call_dispositions USING COVERING INDEX ix_call_dispositions_report (entered_at>? AND entered_at<?)",
                StringComparison.Ordinal));
            Assert.DoesNotContain(plan, d => d.StartsWith("SCAN ", StringComparison.Ordinal) || d.Contains("queue_visits", StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task TheWritersSeamFindsTheHoursOfItsCallsThroughIndexes()
    {
        // Every write transaction runs it: a scan of the history there would grow with it.
        await _app.Database.WriteAsync((c, tx) => c.ExecuteAsync("""
            WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < 5000)
            INSERT INTO queue_visits (call_sid, queue_sid, queue_name, entered_at, answered_at, operator_call_sid, exited_at, result)
            SELECT 'CA' || substr('00000000000000000000000000000000' || n, -32, 32), 'QU1', 'MiniCC', n * 1000, n * 1000 + 500,
                'CO' || substr('00000000000000000000000000000000' || (n % 50), -32, 32), n * 1000 + 5000, 'bridged' FROM s
            """, transaction: tx), default);
        await _app.Database.WriteAsync((c, tx) => c.ExecuteAsync("ANALYZE", transaction: tx, commandType: System.Data.CommandType.Text), default);

        var plan = (await _app.Database.ReadAsync(c => c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + Rollups.HoursOfCallsSql(MiniCC.Storage.SqlDialect.Sqlite), new { chunk = new[] { "CA1", "CO2" } }), default))
            .Select(p => p.Detail).ToList();
        // The writer's own statement, run with every event.
        var eventPlan = (await _app.Database.ReadAsync(c => c.QueryAsync<(long Id, long Parent, long NotUsed, string Detail)>(
            "EXPLAIN QUERY PLAN " + Rollups.MarkCallsSql(MiniCC.Storage.SqlDialect.Sqlite, 2), new { m0 = "CA1", m1 = "CO2" }), default))
            .Select(p => p.Detail).ToList();

        foreach (var p in new[] { plan, eventPlan })
        {
            Assert.NotEmpty(p);
            Assert.DoesNotContain(p, d => d.StartsWith("SCAN queue_visits", StringComparison.Ordinal) || d.StartsWith("SCAN calls", StringComparison.Ordinal));
        }
    }
}
