using System.Data.Common;
using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;
using static MiniCC.Storage.SqlBatch;

namespace MiniCC.Storage;

/// <summary>
/// The one writer of history for this instance: events handed to it are committed together, whatever has arrived
/// while the last transaction ran (up to <see cref="MaxBatch"/>) going into the next one: group commit. Each event
/// is appended to the event log (<c>call_events</c>) and, when it is new there, derives the report tables
/// (<see cref="CallEvents"/>) in the same transaction. A webhook's task completes only once its event is committed.
/// </summary>
public sealed partial class HistoryWriter : IDisposable
{
    /// <summary>The most events one transaction takes; a burst larger than this is committed in several.</summary>
    public const int MaxBatch = 256;

    /// <summary>How many times a transaction the database gave up for another's sake is run in all.</summary>
    private const int ConflictAttempts = 3;

    /// <summary>A transaction may run this long (it holds no caller: webhooks stop waiting much sooner).</summary>
    private static readonly TimeSpan BatchTimeout = TimeSpan.FromSeconds(30);

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Database _database;
    private readonly ILogger<HistoryWriter> _log;
    private readonly Metrics.MiniCCMeter _meter;
    private readonly Task _loop;
    private static readonly TimeSpan CheckpointPeriod = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _stopping = new();
    private DbConnection? _connection;
    private Task? _checkpoints;
    private long _commits;
    private PreparedCommands? _prepared;

    public HistoryWriter(Database database, Metrics.MiniCCMeter meter, ILogger<HistoryWriter> log)
    {
        _database = database;
        _meter = meter;
        _log = log;
        _loop = Task.Run(RunAsync);
    }

    /// <summary>Commits <paramref name="e"/> with whatever else is waiting; true when it was new, false for a replay.</summary>
    public Task<bool> WriteAsync(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        // The statements are built here, on the webhook's thread: the writer's thread only runs them.
        var pending = new Pending(e, _database.Dialect);
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Done.SetException(new ObjectDisposedException(nameof(HistoryWriter)));
        }

        return pending.Done.Task;
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            await CommitAsync(batch);
            batch.Clear();
        }
    }

    /// <summary>
    /// Commits a batch and completes its events. When the database refuses the batch as data, one event is to blame:
    /// each is then tried in a transaction of its own, so only that one fails. A transaction the database gave up for
    /// another's sake (a deadlock with a rollup refresh or another instance's writer) is run again at once.
    /// </summary>
    private async Task CommitAsync(List<Pending> batch)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var isNew = await TransactionAsync(batch);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.SetResult(isNew[i]);
                }

                return;
            }
            catch (Exception ex) when (attempt < ConflictAttempts && DatabaseErrors.IsConflict(ex))
            {
                Conflict(_log, attempt, ex.Message);
            }
            catch (Exception ex) when (batch.Count > 1 && DatabaseErrors.IsPermanent(ex))
            {
                BatchRefused(_log, batch.Count, ex.Message);
                foreach (var one in batch)
                {
                    await CommitAsync([one]);
                }

                return;
            }
            catch (Exception ex)
            {
                foreach (var p in batch)
                {
                    p.Done.SetException(ex);
                }

                return;
            }
        }
    }

    private async Task<bool[]> TransactionAsync(List<Pending> batch)
    {
        using var timeout = new CancellationTokenSource(BatchTimeout);
        var ct = timeout.Token;
        var d = _database.Dialect;
        var started = Stopwatch.GetTimestamp();
        try
        {
            // SQLite runs in this process: one connection kept open, its statements prepared once. Servers: a pooled
            // connection, and each step of the transaction in one round trip.
            var keep = d == SqlDialect.Sqlite;
            var connection = keep ? _connection ??= await OpenKeptAsync(ct) : await _database.OpenAsync(ct);
            var prepared = keep ? _prepared ??= new PreparedCommands() : null;
            try
            {
                var result = await _database.WriteAsync(connection, async tx =>
                {
                    var log = new SqlBatch(d);
                    foreach (var p in batch)
                    {
                        log.Add(p.Log);
                    }

                    var inserted = await log.ExecuteAsync(connection, tx, prepared, counts: true, ct);
                    var derive = new SqlBatch(d);
                    var isNew = new bool[batch.Count];
                    var calls = new List<string>(batch.Count);
                    for (var i = 0; i < batch.Count; i++)
                    {
                        isNew[i] = inserted[i] > 0;
                        if (isNew[i])
                        {
                            derive.Add(batch[i].Derivations);
                            if (!calls.Contains(batch[i].CallSid))
                            {
                                calls.Add(batch[i].CallSid);
                            }
                        }
                    }

                    // The hours these calls touch are read from the history until the rollups recount them.
                    Reports.Rollups.MarkCalls(derive, calls);

                    await derive.ExecuteAsync(connection, tx, prepared, counts: false, ct);
                    return isNew;
                }, ct);
                Interlocked.Increment(ref _commits);
                _meter.Transaction(batch.Count, Stopwatch.GetElapsedTime(started), null);
                return result;
            }
            finally
            {
                if (!keep)
                {
                    await connection.DisposeAsync();
                }
            }
        }
        catch (Exception ex)
        {
            _meter.Transaction(batch.Count, Stopwatch.GetElapsedTime(started), ex);
            // The kept connection may be broken (a locked or replaced file): the next batch opens a new one.
            await ForgetConnectionAsync();
            throw;
        }
    }

    /// <summary>
    /// SQLite's connection for the writer. Its commits never checkpoint the WAL themselves (a checkpoint copies and
    /// flushes pages, and would hold every webhook waiting on this transaction): <see cref="CheckpointAsync"/> does it
    /// beside the writer, on its own connection. An 8 MB page cache (four times the default) keeps the indexes' hot pages;
    /// a larger one cost memory under load (32 MB: about 40 MB more at the peak) with throughput within the noise of side-by-side runs.
    /// </summary>
    private async Task<DbConnection> OpenKeptAsync(CancellationToken ct)
    {
        var connection = await _database.OpenAsync(ct);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA wal_autocheckpoint=0; PRAGMA cache_size=-8192;";
        await pragma.ExecuteNonQueryAsync(ct);
        _checkpoints ??= Task.Run(CheckpointAsync, CancellationToken.None);
        return connection;
    }

    /// <summary>While the writer commits, checkpoints the WAL every <see cref="CheckpointPeriod"/> without blocking it (PASSIVE).</summary>
    private async Task CheckpointAsync()
    {
        using var timer = new PeriodicTimer(CheckpointPeriod);
        var checkpointed = 0L;
        while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false) is true)
        {
            var commits = Interlocked.Read(ref _commits);
            if (commits == checkpointed)
            {
                continue;
            }

            try
            {
                await _database.ReadAsync(async c =>
                {
                    await using var command = c.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    return await command.ExecuteNonQueryAsync(_stopping.Token);
                }, _stopping.Token);
                checkpointed = commits;
            }
            catch (Exception ex) when (!_stopping.IsCancellationRequested)
            {
                // The next tick tries again; meanwhile the WAL grows, which costs disk, not history.
                CheckpointFailed(_log, ex);
            }
        }
    }

    private static void AppendToLog(SqlBatch sql, HistoryEvent e)
    {
        var h = e.Hook;
        sql.Add(sql.D.InsertIgnore(
            """
            call_events (call_sid, kind, dedupe_key, occurred_at, from_number, to_number, call_status, api_version,
                direction, forwarded_from, caller_name, digits, queue_sid, queue_time, queue_result, dequeing_call_sid,
                call_duration, recording_url, recording_sid, recording_duration, params)
            VALUES (@CallSid, @kind, @dedupeKey, @now, @From, @To, @CallStatus, @ApiVersion,
                @Direction, @ForwardedFrom, @CallerName, @Digits, @QueueSid, @QueueTime, @QueueResult, @DequeingCallSid,
                @CallDuration, @RecordingUrl, @RecordingSid, @RecordingDuration, @Params)
            """),
            A("CallSid", h.CallSid), A("kind", e.Kind), A("dedupeKey", e.DedupeKey), A("now", e.At), A("From", h.From), A("To", h.To),
            A("CallStatus", h.CallStatus), A("ApiVersion", h.ApiVersion), A("Direction", h.Direction), A("ForwardedFrom", h.ForwardedFrom),
            A("CallerName", h.CallerName), A("Digits", h.Digits), A("QueueSid", h.QueueSid), A("QueueTime", h.QueueTime),
            A("QueueResult", h.QueueResult), A("DequeingCallSid", h.DequeingCallSid), A("CallDuration", h.CallDuration),
            A("RecordingUrl", h.RecordingUrl), A("RecordingSid", h.RecordingSid), A("RecordingDuration", h.RecordingDuration),
            A("Params", JsonSerializer.Serialize(h.All)));
    }

    private async Task ForgetConnectionAsync()
    {
        _prepared?.Dispose();
        _prepared = null;
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
            _connection = null;
        }
    }

    /// <summary>Commits what is already waiting (within a bound) and closes the kept connection.</summary>
    public void Dispose()
    {
        _queue.Writer.TryComplete();
        if (!_loop.Wait(TimeSpan.FromSeconds(10)))
        {
            NotDrained(_log);
            return;
        }

        _stopping.Cancel();
        try
        {
            _checkpoints?.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Cancelled: the timer's wait ends that way.
        }

        ForgetConnectionAsync().GetAwaiter().GetResult();
        _stopping.Dispose();
    }

    private sealed class Pending
    {
        public Pending(HistoryEvent e, SqlDialect d)
        {
            Log = new SqlBatch(d);
            AppendToLog(Log, e);
            Derivations = new SqlBatch(d);
            e.Derive(Derivations, e.At);
            CallSid = e.CallSid ?? "";
        }

        /// <summary>The call the event belongs to, whose hours the reports' rollups recount.</summary>
        public string CallSid { get; }

        /// <summary>The event's row in the event log.</summary>
        public SqlBatch Log { get; }

        /// <summary>What it derives, run only when its row is new.</summary>
        public SqlBatch Derivations { get; }

        public TaskCompletionSource<bool> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database gave up a write transaction for another's sake (attempt {Attempt}); running it again: {Reason}")]
    private static partial void Conflict(ILogger logger, int attempt, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database refused a batch of {Count} events ({Reason}); committing them one by one")]
    private static partial void BatchRefused(ILogger logger, int count, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not checkpoint SQLite's write-ahead log; will try again")]
    private static partial void CheckpointFailed(ILogger logger, Exception ex);

    [LoggerMessage(Level = LogLevel.Error, Message = "History writes were still running at shutdown after 10 s; their webhooks spooled them")]
    private static partial void NotDrained(ILogger logger);
}
