using Dapper;

namespace MiniCC.Reports;

/// <summary>Calls per disposition: a part of the report of its own (<see cref="ReportParts.Dispositions"/>).</summary>
public sealed partial class ReportQuery
{
    /// <summary>
    /// Counted by the time the call entered the queue (kept with the disposition), as every number of the report, through
    /// schema 13's ix_call_dispositions_report alone.
    /// </summary>
    internal const string DispositionsSql =
        "SELECT disposition AS DispositionKey, COUNT(*) AS Calls FROM call_dispositions " +
        "WHERE entered_at >= @from AND entered_at < @to AND (@queue IS NULL OR queue_name = @queue) GROUP BY disposition";

    private async Task<IReadOnlyList<DispositionCount>> DispositionsAsync(long from, long to, string? queue, CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<DispositionRow>(new CommandDefinition(
            DispositionsSql, new { from, to, queue }, cancellationToken: ct)), ct);
        return [.. rows.Select(r => new DispositionCount(r.DispositionKey, r.Calls)).OrderByDescending(d => d.Calls).ThenBy(d => d.Key, StringComparer.Ordinal)];
    }

    private sealed record DispositionRow
    {
        public string DispositionKey { get; init; } = "";
        public long Calls { get; init; }
    }
}
