using System.Collections.Concurrent;

namespace MiniCC.Voice;

/// <summary>
/// The queue visits whose first wait request this instance has recorded. Twilio asks for the wait music again
/// each time it ends (every half minute or so); those requests tell the history nothing new, so only a visit's
/// first one is written. Another instance may write a visit's first wait once more: the event's key stores it once.
/// </summary>
public sealed class WaitVisits(TimeProvider time)
{
    /// <summary>A visit is remembered this long after its first wait; past it, one more (harmless) write may happen.</summary>
    private static readonly TimeSpan Remembered = TimeSpan.FromHours(6);

    private const int PruneEvery = 10_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private int _added;

    /// <summary>True the first time this instance sees the visit (this call, queue and entry).</summary>
    public bool IsFirst(string callSid, string? queueSid, int entry)
    {
        var now = time.GetUtcNow();
        if (!_seen.TryAdd(callSid + "/" + queueSid + "/" + entry.ToString(System.Globalization.CultureInfo.InvariantCulture), now))
        {
            return false;
        }

        if (Interlocked.Increment(ref _added) % PruneEvery == 0)
        {
            foreach (var (key, at) in _seen)
            {
                if (now - at > Remembered)
                {
                    _seen.TryRemove(key, out _);
                }
            }
        }

        return true;
    }
}
