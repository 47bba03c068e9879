using System.Text.Json;
using Dapper;
using Microsoft.Extensions.Options;

namespace MiniCC.Storage;

/// <summary>
/// The one way webhooks record history. Straight into the database when it answers within
/// <c>MiniCC:WriteTimeoutSeconds</c>; into the spool when it does not, or while the same call's earlier
/// events still wait there (so each call's order is kept); and straight into the database again when the
/// spool's disk cannot be written. Never throws and never waits much longer than the bound: the caller's
/// TwiML does not wait on the database's health.
/// </summary>
public sealed partial class Recorder(HistoryWriter writer, Database database, Spool spool, IOptions<StorageOptions> options, ILogger<Recorder> log)
{
    private readonly TimeSpan _bound = options.Value.WriteTimeout;
    private readonly long _backOffMs = (long)options.Value.ReplayPeriod.TotalMilliseconds;
    private long _tryDatabaseAfter;
    private long _lost;

    /// <summary>Events that reached neither the database nor the spool since start (each logged in full at Critical).</summary>
    public long Lost => Interlocked.Read(ref _lost);

    public async Task RecordAsync(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Problem() is { } problem)
        {
            // MiniCC built this event itself from a parsed webhook: this is a bug, not a caller's doing. Say it loudly.
            Refused(log, e.Kind, e.CallSid, problem, JsonSerializer.Serialize(e));
            return;
        }

        var callSid = e.CallSid!;
        Task<bool>? firstWrite = null;
        if (Environment.TickCount64 >= Interlocked.Read(ref _tryDatabaseAfter) && !spool.HasPending(callSid))
        {
            var (error, running) = await TryDatabaseAsync(e);
            if (error is null)
            {
                return;
            }

            firstWrite = running;
        }

        Exception spoolError;
        try
        {
            await spool.AppendAsync(e);
            return;
        }
        catch (Exception ex)
        {
            spoolError = ex;
        }

        // The spool's disk cannot take it: the database is the only place left, whatever the order.
        var (databaseError, stillRunning) = await TryDatabaseAsync(e);
        if (databaseError is null)
        {
            WroteAroundTheSpool(log, spoolError.Message, e.Kind, callSid);
            return;
        }

        Interlocked.Increment(ref _lost);
        EventLost(log, spoolError, e.Kind, callSid, databaseError.Message, JsonSerializer.Serialize(e));
        // A write that outlived the bound (either attempt) may still commit: then the event was not lost after all.
        var counted = 1;
        foreach (var write in new[] { firstWrite, stillRunning })
        {
            write?.ContinueWith(t =>
            {
                if (t.IsCompletedSuccessfully && Interlocked.Exchange(ref counted, 0) == 1)
                {
                    Interlocked.Decrement(ref _lost);
                    StoredAfterAll(log, e.Kind, callSid);
                }
            }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    /// <summary>
    /// Whether this call signed in as an operator: its sign-in is in the database, or waits in this instance's spool.
    /// When the database cannot say in time, the loop goes on (only MiniCC's own signed TwiML leads there).
    /// </summary>
    public async Task<bool> IsSignedInAsync(string callSid, CancellationToken ct)
    {
        if (spool.HasPendingSignIn(callSid))
        {
            return true;
        }

        try
        {
            return await Bounded.RunAsync(t => database.ReadAsync(async c => await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM operator_sessions WHERE call_sid = @callSid", new { callSid }, cancellationToken: t)) > 0, t), _bound, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            SessionCheckFailed(log, ex, callSid);
            return true;
        }
    }

    /// <summary>The replayer stored spooled events: webhooks may write to the database again.</summary>
    public void DatabaseIsBack() => Interlocked.Exchange(ref _tryDatabaseAfter, 0);

    /// <summary>
    /// Writes within the bound. Error is null when stored (or already stored), otherwise why not; a write that
    /// outlived the bound is returned too, as it may still commit.
    /// </summary>
    private async Task<(Exception? Error, Task<bool>? StillRunning)> TryDatabaseAsync(HistoryEvent e)
    {
        // Not bound to the request: an event Twilio reported is recorded even if Twilio stops listening.
        var write = writer.WriteAsync(e);
        try
        {
            // WaitAsync bounds the wait even where the provider cannot be interrupted (SQLite's busy wait).
            if (!await write.WaitAsync(_bound))
            {
                Replay(log, e.Kind, e.CallSid);
            }

            spool.NoteDatabaseWrite();
            return (null, null);
        }
        catch (Exception ex)
        {
            // A write still running may yet commit; the spooled copy then lands once (every event has a dedupe key).
            _ = write.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            var slow = ex is TimeoutException or OperationCanceledException;
            if (!DatabaseErrors.IsPermanent(ex))
            {
                // Webhooks stop waiting on the database until the replayer has stored something (or a while has passed).
                Interlocked.Exchange(ref _tryDatabaseAfter, Environment.TickCount64 + _backOffMs);
            }

            if (slow)
            {
                TooSlow(log, _bound.TotalSeconds, e.Kind, e.CallSid);
                return (new TimeoutException($"the database did not take the event within {_bound.TotalSeconds:0.##} s"), write);
            }

            DatabaseFailed(log, ex, e.Kind, e.CallSid);
            return (ex, null);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Kind} for call {CallSid} ignored (already recorded)")]
    private static partial void Replay(ILogger logger, string kind, string? callSid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Kind} for call {CallSid} in the database; spooling it")]
    private static partial void DatabaseFailed(ILogger logger, Exception ex, string kind, string? callSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database did not take {Kind} for call {CallSid} within {Seconds} s; spooling it")]
    private static partial void TooSlow(ILogger logger, double seconds, string kind, string? callSid);

    [LoggerMessage(Level = LogLevel.Error, Message = "The spool cannot be written ({Reason}); {Kind} for call {CallSid} was stored straight in the database")]
    private static partial void WroteAroundTheSpool(ILogger logger, string reason, string kind, string callSid);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not record {Kind} for call {CallSid} in the database ({DatabaseError}) nor the spool; the event follows: {Event}")]
    private static partial void EventLost(ILogger logger, Exception ex, string kind, string callSid, string databaseError, string @event);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Kind} for call {CallSid}, reported lost above, was stored in the database after all (its write outlived the bound)")]
    private static partial void StoredAfterAll(ILogger logger, string kind, string callSid);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Refused to record {Kind} for call {CallSid}: {Problem}; the event follows: {Event}")]
    private static partial void Refused(ILogger logger, string kind, string? callSid, string problem, string @event);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not check the operator session of call {CallSid}; letting the loop go on")]
    private static partial void SessionCheckFailed(ILogger logger, Exception ex, string callSid);
}

/// <summary>Replays the spool into the database: at start, whenever something is spooled, and every <c>MiniCC:SpoolReplaySeconds</c>.</summary>
public sealed partial class SpoolReplayer(Spool spool, HistoryWriter writer, Recorder recorder, IOptions<StorageOptions> options,
    ILogger<SpoolReplayer> log) : BackgroundService
{
    /// <summary>A replayed write may wait this long (it holds no caller; a locked table should still not hang it forever).</summary>
    private static readonly TimeSpan ReplayWriteTimeout = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = options.Value.ReplayPeriod;
        using var wake = new SemaphoreSlim(0, int.MaxValue);
        spool.Appended += () => wake.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (spool.Backlog > 0)
            {
                try
                {
                    var result = await spool.ReplayAsync(
                        e => writer.WriteAsync(e).WaitAsync(ReplayWriteTimeout, stoppingToken), DatabaseErrors.IsPermanent, stoppingToken);
                    if (result.Applied > 0)
                    {
                        recorder.DatabaseIsBack();
                        Replayed(log, result.Applied, spool.Backlog);
                    }
                    else if (result.LastError is { } error)
                    {
                        StillAway(log, error.GetType().Name, error.Message, spool.Backlog);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    ReplayFailed(log, ex);
                }
            }

            try
            {
                await wake.WaitAsync(period, stoppingToken);
                await Task.Delay(period, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Applied} spooled events into the database; {Backlog} still waiting")]
    private static partial void Replayed(ILogger logger, int applied, int backlog);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The database still does not take spooled events ({Error}: {Message}); {Backlog} waiting")]
    private static partial void StillAway(ILogger logger, string error, string message, int backlog);

    [LoggerMessage(Level = LogLevel.Error, Message = "Replaying the spool failed; will retry")]
    private static partial void ReplayFailed(ILogger logger, Exception ex);
}
