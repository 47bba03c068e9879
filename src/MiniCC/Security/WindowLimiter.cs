using System.Threading.RateLimiting;

namespace MiniCC.Security;

/// <summary>
/// A fixed-window limiter on <see cref="TimeProvider"/>: at most <c>permitLimit</c> permits in the window that
/// opens with the first one. The framework's window limiters read the Stopwatch instead (dotnet/runtime#106447),
/// so neither a test clock nor anything else could move their windows on. No queue: a refusal says when to retry.
/// </summary>
internal sealed class WindowLimiter(TimeProvider time, int permitLimit, TimeSpan window) : RateLimiter
{
    private static readonly RateLimitLease Acquired = new Lease(true, null);

    private readonly Lock _lock = new();
    private long? _windowStart;
    private long _idleSince = time.GetTimestamp();
    private int _used;
    private long _successful;
    private long _failed;

    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_lock)
            {
                var now = time.GetTimestamp();
                Roll(now);
                return _windowStart is null ? time.GetElapsedTime(_idleSince, now) : null;
            }
        }
    }

    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_lock)
        {
            Roll(time.GetTimestamp());
            return new RateLimiterStatistics
            {
                CurrentAvailablePermits = permitLimit - _used,
                CurrentQueuedCount = 0,
                TotalSuccessfulLeases = _successful,
                TotalFailedLeases = _failed,
            };
        }
    }

    /// <summary>Zero permits asks "would one be granted?" without taking it, as the framework's limiters do.</summary>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(permitCount, permitLimit);
        lock (_lock)
        {
            var now = time.GetTimestamp();
            Roll(now);
            if (permitCount == 0 ? _used < permitLimit : _used + permitCount <= permitLimit)
            {
                if (permitCount > 0)
                {
                    _windowStart ??= now;
                    _used += permitCount;
                }

                _successful++;
                return Acquired;
            }

            _failed++;
            return new Lease(false, window - time.GetElapsedTime(_windowStart!.Value, now));
        }
    }

    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private void Roll(long now)
    {
        if (_windowStart is { } start && time.GetElapsedTime(start, now) >= window)
        {
            _windowStart = null;
            _used = 0;
            _idleSince = now;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } r && metadataName == MetadataName.RetryAfter.Name ? r : null;
            return metadata is not null;
        }
    }
}
