using Dapper;
using MiniCC.Operators;
using MiniCC.Storage;

namespace MiniCC.Queues;

/// <summary>Which queue a ready operator serves next, and whether someone (a caller, or a callback) waits in it.</summary>
public sealed record QueueChoice(QueueSettings Queue, bool SomeoneWaits);

/// <summary>
/// The loop's choice of a queue for a ready operator, from MiniCC's own record of who waits (every enqueue and exit is
/// in the history, whichever instance took it): among the queues the operator serves, the one of highest priority
/// that has someone waiting; among equals, the operator's higher level, then the longest-waiting caller or callback.
/// With nobody waiting, the operator waits in their first queue by the same order. Twilio hands each caller to one
/// operator only (a <c>&lt;Dial&gt;&lt;Queue&gt;</c> dequeues), so two operators choosing one queue get two callers, or one waits.
/// </summary>
public sealed class QueueChooser(Database database, QueueDirectory queues, OperatorSkills skills, TimeProvider time)
{
    /// <summary>A caller still counted as waiting entered within this long (a visit whose exit was lost does not hold a queue for ever).</summary>
    private static readonly TimeSpan WaitingAtMost = TimeSpan.FromHours(12);

    /// <summary>The queues <paramref name="operatorId"/> serves, best first by priority and their level (all queues when they have no skill).</summary>
    public async Task<IReadOnlyList<(QueueSettings Queue, int Level)>> QueuesOfAsync(long operatorId, CancellationToken ct)
    {
        var own = await skills.OfAsync(operatorId, ct);
        var served = own.Count == 0
            ? queues.All.Select(q => (q, Level: OperatorSkills.MinLevel))
            : own.Where(s => queues.Has(s.Queue)).Select(s => (queues.Find(s.Queue), s.Level));
        return [.. served.OrderByDescending(x => x.Item1.Priority).ThenByDescending(x => x.Level)];
    }

    public async Task<QueueChoice> ChooseAsync(long operatorId, bool callbacks, CancellationToken ct)
    {
        // One queue: nothing to choose, and nothing more to read than before there were several.
        if (queues.All.Count == 1)
        {
            return new QueueChoice(queues.Default, SomeoneWaits: true);
        }

        var served = await QueuesOfAsync(operatorId, ct);
        if (served.Count == 0)
        {
            // Skills that name no configured queue (a queue removed since): the default, rather than nothing to do.
            return new QueueChoice(queues.Default, SomeoneWaits: false);
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var oldest = await OldestWaitingAsync(now, callbacks, ct);
        var best = served
            .Where(s => oldest.ContainsKey(s.Queue.Name))
            .OrderByDescending(s => s.Queue.Priority).ThenByDescending(s => s.Level).ThenBy(s => oldest[s.Queue.Name])
            .Select(s => s.Queue)
            .FirstOrDefault();
        return best is null ? new QueueChoice(served[0].Queue, SomeoneWaits: false) : new QueueChoice(best, SomeoneWaits: true);
    }

    /// <summary>Per queue, when its longest-waiting caller (or due callback) began to wait.</summary>
    private async Task<Dictionary<string, long>> OldestWaitingAsync(long now, bool callbacks, CancellationToken ct)
    {
        var since = now - (long)WaitingAtMost.TotalMilliseconds;
        var sql = """
            SELECT queue_name AS Queue, MIN(entered_at) AS Since FROM queue_visits
            WHERE exited_at IS NULL AND answered_at IS NULL AND entered_at > @since GROUP BY queue_name
            """ + (callbacks ? """

            UNION ALL
            SELECT queue_name AS Queue, MIN(requested_at) AS Since FROM callbacks WHERE status = 'pending' AND due_at <= @now GROUP BY queue_name
            """ : "");
        var rows = await database.ReadAsync(c => c.QueryAsync<(string Queue, long Since)>(new CommandDefinition(sql, new { since, now }, cancellationToken: ct)), ct);
        return rows.GroupBy(r => r.Queue.Trim(), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Min(r => r.Since), StringComparer.Ordinal);
    }
}
