using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Storage;

namespace MiniCC.Reports;

public sealed record Wallboard(
    DateTimeOffset At, long Waiting, long LongestCurrentWaitSeconds, long OperatorsSignedIn, long OperatorsOnCall,
    QueueMetrics Today, string ServiceLevelFormula, int ServiceLevelSeconds);

/// <summary>
/// What is happening now (the wallboard). It reads only
/// open rows through their indexes and today's visits; it never scans the history.
/// </summary>
public sealed class LiveQuery(Database database, ReportQuery reports, IOptions<ReportOptions> options, TimeProvider time)
{
    /// <summary>Reads only open rows, through indexes (a test checks the plan).</summary>
    internal const string WallboardSql = """
            SELECT
              (SELECT COUNT(*) FROM queue_visits WHERE exited_at IS NULL AND answered_at IS NULL AND entered_at >= @since) AS Waiting,
              (SELECT MIN(entered_at) FROM queue_visits WHERE exited_at IS NULL AND answered_at IS NULL AND entered_at >= @since) AS OldestEntered,
              (SELECT COUNT(*) FROM operator_sessions WHERE ended_at IS NULL AND started_at >= @since) AS SignedIn,
              (SELECT COUNT(*) FROM queue_visits WHERE exited_at IS NULL AND answered_at IS NOT NULL AND entered_at >= @since) AS OnCall
        """;

    public async Task<Wallboard> WallboardAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var nowMs = now.ToUnixTimeMilliseconds();
        // A visit left open by a lost event must not haunt the board forever: look back one day at most.
        var since = nowMs - (24L * 3600 * 1000);
        var live = await database.ReadAsync(c => c.QuerySingleAsync(new CommandDefinition(WallboardSql, new { since }, cancellationToken: ct)), ct);
        var row = ReportQuery.Columns(live);
        long L(string k) => row[k] is null or DBNull ? 0 : Convert.ToInt64(row[k], System.Globalization.CultureInfo.InvariantCulture);
        var oldest = row["OldestEntered"] is null or DBNull ? (long?)null : L("OldestEntered");

        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(now, reports.Zone).DateTime);
        var start = reports.LocalMidnight(today);
        var counts = (await reports.BucketsAsync(start, reports.LocalMidnight(today.AddDays(1)), ct))
            .Aggregate(new QueueCounts(), (acc, b) => acc + b.Counts);
        return new Wallboard(now, L("Waiting"), oldest is null ? 0 : (nowMs - oldest.Value) / 1000, L("SignedIn"), L("OnCall"),
            QueueMetrics.From(counts, options.Value.ServiceLevelFormula), options.Value.ServiceLevelFormula, options.Value.ServiceLevelSeconds);
    }
}
