using System.Diagnostics;
using System.Diagnostics.Metrics;
using MiniCC.Operators;
using MiniCC.Queues;
using MiniCC.Reports;
using MiniCC.Storage;

namespace MiniCC.Metrics;

/// <summary>
/// The gauges <c>/metrics</c> serves: the spool's backlog (from memory), and callers waiting and operators by state per
/// queue, from what the wallboard reads (open rows through their indexes, never the history: <see cref="LiveQuery.NowAsync"/>)
/// and the operators' skills. A scrape reads them again when the last read is older than <see cref="MaxAge"/>, so any
/// number of scrapers cost the database one small read per <see cref="MaxAge"/> at most. A read that fails leaves the
/// database gauges out of the scrape (absent, rather than an old value that looks current) and counts an error.
/// </summary>
public sealed partial class LiveGauges : IDisposable
{
    /// <summary>Gauges read from the database may be this old.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    /// <summary>A read may take this long; a scraper waits no longer (Prometheus's default scrape timeout is 10 s).</summary>
    private static readonly TimeSpan QueryBound = TimeSpan.FromSeconds(3);

    /// <summary>The states of a signed-in operator; offline operators have no session to count.</summary>
    private static readonly string[] States = [OperatorStates.Ready, OperatorStates.OnCall, OperatorStates.WrapUp, OperatorStates.Break];

    private readonly MiniCCMeter _meter;
    private readonly LiveQuery _live;
    private readonly OperatorSkills _skills;
    private readonly QueueDirectory _queues;
    private readonly ILogger<LiveGauges> _log;
    private readonly SemaphoreSlim _reading = new(1, 1);
    private volatile Snapshot _latest = Snapshot.None;

    // Real time, not the injected clock: the age bounds the load on the database, whatever clock the board is read for.
    private long _readAt;

    public LiveGauges(MiniCCMeter meter, LiveQuery live, OperatorSkills skills, QueueDirectory queues, Spool spool, Recorder recorder,
        ILogger<LiveGauges> log)
    {
        ArgumentNullException.ThrowIfNull(meter);
        (_meter, _live, _skills, _queues, _log) = (meter, live, skills, queues, log);
        var m = meter.Meter;
        m.CreateObservableGauge("minicc.queue.callers_waiting", () => _latest.Waiting, "{caller}", "Callers waiting in each queue now.");
        m.CreateObservableGauge("minicc.operators", () => _latest.Operators, "{operator}",
            "Signed-in operators who serve each queue, by state (an operator of several queues counts in each).");
        m.CreateObservableGauge("minicc.spool.backlog", () => spool.Backlog, "{event}", "Events in this instance's spool waiting for the database.");
        m.CreateObservableGauge("minicc.spool.rejected", () => spool.Rejected, "{event}", "Spooled events set aside as never storable (rejected.jsonl).");
        m.CreateObservableGauge("minicc.history.lost", () => recorder.Lost, "{event}", "Events stored neither in the database nor in the spool since start.");
    }

    /// <summary>Reads the database gauges again unless they are younger than <see cref="MaxAge"/>; never throws for the database.</summary>
    public async Task RefreshAsync(CancellationToken ct)
    {
        if (Fresh())
        {
            return;
        }

        await _reading.WaitAsync(ct);
        try
        {
            if (Fresh())
            {
                return;
            }

            var (waiting, operators) = await Bounded.RunAsync(_live.NowAsync, QueryBound, ct);
            var skills = await Bounded.RunAsync(_skills.AllAsync, QueryBound, ct);
            _latest = Count(waiting, operators, skills);
            Volatile.Write(ref _readAt, Stopwatch.GetTimestamp());
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            _latest = Snapshot.None;
            _meter.DatabaseError("metrics-read", ex);
            ReadFailed(_log, ex);
        }
        finally
        {
            _reading.Release();
        }
    }

    public void Dispose() => _reading.Dispose();

    private bool Fresh()
    {
        var at = Volatile.Read(ref _readAt);
        return at != 0 && Stopwatch.GetElapsedTime(at) < MaxAge;
    }

    /// <summary>Every configured queue (and any other a caller waits in) gets a value, zero included, so a series never just vanishes.</summary>
    private Snapshot Count(IReadOnlyDictionary<string, long> waiting, IReadOnlyList<OperatorNow> operators,
        IReadOnlyDictionary<long, IReadOnlyList<Skill>> skills)
    {
        var names = _queues.All.Select(q => q.Name).Concat(waiting.Keys).Distinct(StringComparer.Ordinal).ToList();
        var byQueueAndState = new Dictionary<(string, string), long>();
        foreach (var o in operators)
        {
            // An operator without skills serves every queue.
            var serves = skills.TryGetValue(o.OperatorId, out var own) && own.Count > 0
                ? names.Where(n => own.Any(s => s.Queue == n))
                : names;
            foreach (var queue in serves)
            {
                byQueueAndState[(queue, o.State)] = byQueueAndState.GetValueOrDefault((queue, o.State)) + 1;
            }
        }

        return new Snapshot(
            [.. names.Select(n => new Measurement<long>(waiting.GetValueOrDefault(n), Tag("queue", n)))],
            [.. names.SelectMany(n => States.Select(s => new Measurement<long>(byQueueAndState.GetValueOrDefault((n, s)), Tag("queue", n), Tag("state", s))))]);
    }

    private static KeyValuePair<string, object?> Tag(string key, string value) => new(key, value);

    private sealed record Snapshot(Measurement<long>[] Waiting, Measurement<long>[] Operators)
    {
        public static readonly Snapshot None = new([], []);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read callers waiting and operators for /metrics; those gauges are left out of this scrape")]
    private static partial void ReadFailed(ILogger logger, Exception ex);
}
