using Dapper;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>
/// An operator's time in each state within a range, in seconds, and what it means: occupancy = on a call ÷ (on a call
/// + ready); average handle time = (talk + wrap-up) ÷ calls taken.
/// </summary>
public sealed record StateTime(long ReadySeconds, long OnCallSeconds, long WrapUpSeconds, long BreakSeconds)
{
    /// <summary>On a call ÷ (on a call + ready), in percent; 0 with neither.</summary>
    public double OccupancyPercent =>
        OnCallSeconds + ReadySeconds == 0 ? 0 : Math.Round(100.0 * OnCallSeconds / (OnCallSeconds + ReadySeconds), 2);
}

/// <summary>
/// Reads the state rows that meet a range (and each operator's row before it, which the range starts in) and cuts them
/// into time per operator and state, and wrap-up time per interval. A state runs to the operator's next row, or to now.
/// </summary>
internal sealed class StateTimes
{
    private readonly record struct Row(long OperatorId, string State, long StartedAt);

    private readonly Dictionary<long, List<(string State, long From, long To)>> _spans = [];

    /// <summary>The directory's phone and name of each operator, for those with states but no call in the range.</summary>
    public IReadOnlyDictionary<long, (string Phone, string? Name)> Directory { get; private set; } = new Dictionary<long, (string, string?)>();

    /// <summary>The operators with a state in the range.</summary>
    public IEnumerable<long> Operators => _spans.Keys;

    private StateTimes()
    {
    }

    public static async Task<StateTimes> ReadAsync(Database database, long from, long to, long now, CancellationToken ct)
    {
        // Rows within the range by ix_operator_states_started, and the latest before it per operator by ix_operator_states_operator.
        var rows = await database.ReadAsync(async c => (await c.QueryAsync<Row>(new CommandDefinition("""
            SELECT operator_id AS OperatorId, state AS State, started_at AS StartedAt FROM operator_states
            WHERE started_at >= @from AND started_at < @to
            UNION ALL
            SELECT o.operator_id, o.state, o.started_at FROM operator_directory d
            JOIN operator_states o ON o.id = (SELECT x.id FROM operator_states x WHERE x.operator_id = d.id AND x.started_at < @from
                                              ORDER BY x.started_at DESC, x.id DESC LIMIT 1)
            """, new { from, to }, cancellationToken: ct))).ToList(), ct);
        var directory = await database.ReadAsync(async c => (await c.QueryAsync<(long Id, string Phone, string? Name)>(new CommandDefinition(
            "SELECT id, phone, name FROM operator_directory", cancellationToken: ct))).ToDictionary(d => d.Id, d => (d.Phone, d.Name)), ct);
        var times = new StateTimes { Directory = directory };
        foreach (var op in rows.GroupBy(r => r.OperatorId))
        {
            var ordered = op.OrderBy(r => r.StartedAt).ToList();
            var spans = new List<(string, long, long)>();
            for (var i = 0; i < ordered.Count; i++)
            {
                var end = i + 1 < ordered.Count ? ordered[i + 1].StartedAt : Math.Min(now, to);
                var start = Math.Max(ordered[i].StartedAt, from);
                if (end > start)
                {
                    spans.Add((ordered[i].State, start, Math.Min(end, to)));
                }
            }

            times._spans[op.Key] = spans;
        }

        return times;
    }

    /// <summary>The operator's time in each state; null when they have no state in the range.</summary>
    public StateTime? Of(long operatorId)
    {
        if (!_spans.TryGetValue(operatorId, out var spans))
        {
            return null;
        }

        long Sum(string state) => spans.Where(s => s.State == state).Sum(s => s.To - s.From) / 1000;
        return new StateTime(Sum(OperatorStates.Ready), Sum(OperatorStates.OnCall), Sum(OperatorStates.WrapUp), Sum(OperatorStates.Break));
    }

    /// <summary>Every operator's wrap-up time per report bucket (its start, as a bucket number), in seconds.</summary>
    public Dictionary<long, long> WrapUpByBucket(long bucketMs)
    {
        var ms = new Dictionary<long, long>();
        foreach (var (_, from, to) in _spans.Values.SelectMany(s => s).Where(s => s.State == OperatorStates.WrapUp))
        {
            for (var bucket = from / bucketMs; bucket * bucketMs < to; bucket++)
            {
                ms[bucket] = ms.GetValueOrDefault(bucket) + (Math.Min(to, (bucket + 1) * bucketMs) - Math.Max(from, bucket * bucketMs));
            }
        }

        return ms.ToDictionary(kv => kv.Key, kv => kv.Value / 1000);
    }

    /// <summary>Every operator's wrap-up time between <paramref name="from"/> and <paramref name="to"/>, in seconds.</summary>
    public long WrapUpWithin(long from, long to) =>
        _spans.Values.SelectMany(s => s)
            .Where(s => s.State == OperatorStates.WrapUp && s.To > from && s.From < to)
            .Sum(s => Math.Min(s.To, to) - Math.Max(s.From, from)) / 1000;
}
