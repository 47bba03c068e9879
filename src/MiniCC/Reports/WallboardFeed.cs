using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>
/// The wallboard, pushed: each subscriber (a server-sent-events response, say) gets the current board at once, then a
/// new one within <see cref="PollPeriod"/> (plus a query) of any commit to the history by any instance on the database,
/// and at least every <see cref="RefreshPeriod"/>. One loop per instance, running only while someone listens, looks at
/// the history (<see cref="HistoryChanges"/>) and reads one board per change for all its subscribers.
/// </summary>
public sealed partial class WallboardFeed : IDisposable
{
    /// <summary>How often the history is looked at: well within the wallboard's promise of one second.</summary>
    public static readonly TimeSpan DefaultPollPeriod = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// A board is read at least this often without a change: waits and durations count on, today ends at midnight, an
    /// operator renamed in the directory (no event) shows, and the stream carries something through idle proxies.
    /// </summary>
    public static readonly TimeSpan DefaultRefreshPeriod = TimeSpan.FromSeconds(5);

    /// <summary>A look or a board may take this long before it counts as failed (SQLite's busy wait ignores tokens).</summary>
    private static readonly TimeSpan QueryBound = TimeSpan.FromSeconds(5);

    /// <summary>While the database fails, the looks slow down to one per this at most (and one warning each).</summary>
    private static readonly TimeSpan MaxBackOff = TimeSpan.FromSeconds(5);

    private readonly LiveQuery _live;
    private readonly Database _database;
    private readonly ILogger<WallboardFeed> _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationToken _stoppingToken;
    private readonly CancellationTokenRegistration _onStopping;
    private readonly Lock _gate = new();
    private readonly List<Channel<Wallboard>> _subscribers = [];
    private CancellationTokenSource? _loop;
    private Wallboard? _latest;
    private long _looks;

    public WallboardFeed(LiveQuery live, Database database, IHostApplicationLifetime lifetime, ILogger<WallboardFeed> log)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        (_live, _database, _log) = (live, database, log);
        _stoppingToken = _stopping.Token;
        // Open streams end when the application stops, so that they do not hold the shutdown for its whole timeout.
        _onStopping = lifetime.ApplicationStopping.Register(_stopping.Cancel);
    }

    internal TimeSpan PollPeriod { get; set; } = DefaultPollPeriod;

    internal TimeSpan RefreshPeriod { get; set; } = DefaultRefreshPeriod;

    /// <summary>Looks at the history since start (tests see the loop stop when nobody listens).</summary>
    internal long Looks => Interlocked.Read(ref _looks);

    /// <summary>
    /// The current board now, then each new one, until <paramref name="ct"/> is cancelled (then it throws
    /// <see cref="OperationCanceledException"/>) or the application stops (then it ends). A subscriber that reads slowly
    /// skips to the newest board; it never holds more than one.
    /// </summary>
    public async IAsyncEnumerable<Wallboard> WatchAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        var inbox = LiveInbox.Create<Wallboard>();
        Subscribe(inbox);
        try
        {
            await foreach (var board in LiveInbox.ReadAsync(inbox.Reader, _stoppingToken, ct))
            {
                yield return board;
            }
        }
        finally
        {
            Unsubscribe(inbox);
        }
    }

    private void Subscribe(Channel<Wallboard> inbox)
    {
        lock (_gate)
        {
            _subscribers.Add(inbox);
            if (_latest is { } latest)
            {
                inbox.Writer.TryWrite(latest);
            }

            if (_loop is null && !_stoppingToken.IsCancellationRequested)
            {
                var loop = CancellationTokenSource.CreateLinkedTokenSource(_stoppingToken);
                _loop = loop;
                var stop = loop.Token;
                _ = Task.Run(() => RunAsync(loop, stop), CancellationToken.None);
            }
        }
    }

    private void Unsubscribe(Channel<Wallboard> inbox)
    {
        CancellationTokenSource? idle = null;
        lock (_gate)
        {
            _subscribers.Remove(inbox);
            if (_subscribers.Count == 0)
            {
                // Nobody listens: the loop stops now, and its board is not kept (it would be stale when someone returns).
                (idle, _loop, _latest) = (_loop, null, null);
            }
        }

        // The loop's token source is disposed by whoever takes it out of _loop (the loop itself uses only its token).
        idle?.Cancel();
        idle?.Dispose();
    }

    /// <summary>
    /// The loop's cadence is real time, not the injected clock (the clock a board is read for): a poll every 250 ms is a
    /// promise to people watching a screen, and a test's clock that stands still must not stop the board.
    /// </summary>
    private static readonly TimeProvider Cadence = TimeProvider.System;

    private async Task RunAsync(CancellationTokenSource loop, CancellationToken stop)
    {
        var changes = new HistoryChanges(_database, Cadence);
        var failures = 0;
        var due = true;
        var lastRead = Cadence.GetTimestamp();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    Interlocked.Increment(ref _looks);
                    // The look comes before the board: a commit landing while the board is read is a change next time.
                    due |= await Bounded.RunAsync(changes.ChangedAsync, QueryBound, stop);
                    if (failures > 0)
                    {
                        Recovered(_log, failures);
                        failures = 0;
                    }

                    due |= Cadence.GetElapsedTime(lastRead) >= RefreshPeriod;
                    if (due)
                    {
                        var board = await Bounded.RunAsync(_live.WallboardAsync, QueryBound, stop);
                        (due, lastRead) = (false, Cadence.GetTimestamp());
                        Publish(board, loop);
                    }
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    // The database is away or slow: subscribers keep their stream and their last board, and the loop tries
                    // again. A look left running past its bound may still finish: the next looks start afresh, and a
                    // fresh start is a change (a board is read as soon as the database answers).
                    failures++;
                    LookFailed(_log, ex, failures);
                    changes = new HistoryChanges(_database, Cadence);
                }

                await Task.Delay(failures == 0 ? PollPeriod : BackOff(failures), Cadence, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Nobody listens any more, or the application stops.
        }
        finally
        {
            // Stopped by the application (not by its last subscriber, who took it out of _loop already).
            lock (_gate)
            {
                if (_loop == loop)
                {
                    (_loop, _latest) = (null, null);
                    loop.Dispose();
                }
            }
        }
    }

    private TimeSpan BackOff(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxBackOff.Ticks, PollPeriod.Ticks << Math.Min(failures, 16)));

    private void Publish(Wallboard board, CancellationTokenSource loop)
    {
        lock (_gate)
        {
            // A loop told to stop (its last subscriber left) may finish a read: only the current loop publishes.
            if (_loop != loop)
            {
                return;
            }

            _latest = board;
            foreach (var inbox in _subscribers)
            {
                inbox.Writer.TryWrite(board);
            }
        }
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        // Ends every stream and the loop (linked to it), which disposes its own token source.
        _stopping.Cancel();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The wallboard feed could not read the database (failure {Failures} in a row); its subscribers keep the last board, and it tries again")]
    private static partial void LookFailed(ILogger logger, Exception ex, int failures);

    [LoggerMessage(Level = LogLevel.Information, Message = "The wallboard feed reads the database again after {Failures} failures")]
    private static partial void Recovered(ILogger logger, int failures);
}
