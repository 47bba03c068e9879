namespace MiniCC.Reports;

// The operators' part of a report: their sums with their time in each state, and their wrap-up in the handle time.
public sealed partial class ReportQuery
{
    /// <summary>
    /// The operators' wrap-up joins the buckets it happened in (a bucket of wrap-up alone is added), so that every span's
    /// handle time is talk + wrap-up. Wrap-up belongs to no queue yet: a report of one queue counts all of it.
    /// </summary>
    private static IReadOnlyList<(long Bucket, QueueCounts Counts)> WithWrapUp(IReadOnlyList<(long Bucket, QueueCounts Counts)> buckets, StateTimes? states)
    {
        var wrapUp = states?.WrapUpByBucket(BucketMs);
        if (wrapUp is not { Count: > 0 })
        {
            return buckets;
        }

        var all = buckets.ToDictionary(b => b.Bucket, b => b.Counts);
        foreach (var (bucket, seconds) in wrapUp)
        {
            all[bucket] = (all.GetValueOrDefault(bucket) ?? new QueueCounts()) with { WrapUpSum = (all.GetValueOrDefault(bucket)?.WrapUpSum ?? 0) + seconds };
        }

        return [.. all.OrderBy(kv => kv.Key).Select(kv => (kv.Key, kv.Value))];
    }

    private IReadOnlyList<OperatorRow> Operators(IReadOnlyList<OperatorSums> sums, long from, long to, List<Session> sessions, StateTimes? states)
    {
        // Each operator's signed-in time within the range: a session open now counts up to now.
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var signedIn = new Dictionary<long, long>();
        foreach (var s in sessions)
        {
            signedIn[s.OperatorId] = signedIn.GetValueOrDefault(s.OperatorId) + Math.Max(0, Math.Min(s.EndedAt ?? now, to) - Math.Max(s.StartedAt, from));
        }

        // An operator who took no call but was signed in (ready, on a break) has a row too.
        var withCalls = sums.Select(o => o.OperatorId).ToHashSet();
        var idle = (states?.Operators ?? []).Where(id => !withCalls.Contains(id) && states!.Directory.ContainsKey(id))
            .Select(id => new OperatorSums { OperatorId = id, Phone = states!.Directory[id].Phone, Name = states.Directory[id].Name });
        return sums.Concat(idle).Select(o =>
            {
                var state = o.OperatorId is long sid ? states?.Of(sid) : null;
                return new OperatorRow(o.OperatorId, o.Phone, o.Name, o.CallsTaken, o.TalkSum,
                    o.TalkCount == 0 ? 0 : Math.Round((double)(o.TalkSum + (state?.WrapUpSeconds ?? 0)) / o.TalkCount, 2),
                    o.FirstCall is long first ? DateTimeOffset.FromUnixTimeMilliseconds(first) : null,
                    o.LastCall is long last ? DateTimeOffset.FromUnixTimeMilliseconds(last) : null,
                    o.OperatorId is long id ? (long)(signedIn.GetValueOrDefault(id) / 1000.0) : 0, state);
            })
            .ToList();
    }
}
