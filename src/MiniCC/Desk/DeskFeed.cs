using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Reports;
using MiniCC.Storage;

namespace MiniCC.Desk;

/// <summary>
/// What an operator's desk shows: their state, the caller they took last (the screen pop), if any, and the callback their
/// call is dialing, if any. A callback dialed after that caller's pickup hides the caller: it is no longer the last call.
/// </summary>
public sealed record DeskView(DeskState State, ScreenPop? Caller, DeskCallback? Callback = null);

/// <summary>
/// Each open desk's view, pushed: at once, then within <see cref="PollPeriod"/> (plus a query) of a commit to the history
/// by any instance on the database — a caller picked up on another instance pops up here within a second. One loop per
/// instance, only while a desk listens: it looks at the history (<see cref="HistoryChanges"/>) and on a change reads the
/// state of every listening operator in one query; a screen pop is read only when an operator's caller changed.
/// </summary>
public sealed partial class DeskFeed : IDisposable
{
    internal static readonly TimeSpan PollPeriod = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RefreshPeriod = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan QueryBound = TimeSpan.FromSeconds(5);

    /// <summary>The cadence is real time: a promise to a person at a screen, whatever clock the views are read for.</summary>
    private static readonly TimeProvider Cadence = TimeProvider.System;

    private readonly Database _database;
    private readonly ScreenPopQuery _pops;
    private readonly OperatorStateOptions _options;
    private readonly ILogger<DeskFeed> _log;
    private readonly CancellationTokenSource _stopping = new();
    private readonly CancellationTokenRegistration _onStopping;
    private readonly Lock _gate = new();
    private readonly Dictionary<long, List<Channel<DeskView>>> _subscribers = [];
    private readonly Dictionary<long, (Snapshot Snapshot, DeskView View)> _latest = [];
    private CancellationTokenSource? _loop;

    public DeskFeed(Database database, ScreenPopQuery pops, IOptions<OperatorStateOptions> options, IHostApplicationLifetime lifetime,
        ILogger<DeskFeed> log)
    {
        ArgumentNullException.ThrowIfNull(lifetime);
        (_database, _pops, _options, _log) = (database, pops, options.Value, log);
        _onStopping = lifetime.ApplicationStopping.Register(_stopping.Cancel);
    }

    /// <summary>An operator's latest state row and the caller their call picked up last.</summary>
    private sealed record Snapshot
    {
        public long OperatorId { get; init; }
        public long Id { get; init; }
        public string State { get; init; } = "";
        public string? Reason { get; init; }
        public long StartedAt { get; init; }
        public string? CallSid { get; init; }
        public string? Cause { get; init; }
        public string? CallerCallSid { get; init; }
        public long? CallerExitedAt { get; init; }
        public long? CallerAnsweredAt { get; init; }
        public long? CallbackId { get; init; }
        public string? CallbackStatus { get; init; }
        public long? CallbackAttempts { get; init; }
        public long? CallbackAt { get; init; }

        /// <summary>The callback the operator's call dials now (claimed for it, its result not in yet).</summary>
        public long? Dialing => CallbackStatus == "dialing" ? CallbackId : null;

        /// <summary>The call's latest callback came after its latest caller.</summary>
        public bool CallbackIsLatest => CallbackAt is { } at && (CallerAnsweredAt is not { } answered || at > answered);
    }

    /// <summary>
    /// The listening operators' snapshots. Their ids are numbers written into the SQL: Dapper passes a list to PostgreSQL as
    /// one array, which IN cannot take.
    /// </summary>
    private static string SnapshotSql(IEnumerable<long> ids) => $"""
        SELECT o.operator_id AS OperatorId, o.id AS Id, o.state AS State, o.reason AS Reason, o.started_at AS StartedAt,
               o.call_sid AS CallSid, o.cause AS Cause, v.call_sid AS CallerCallSid, v.exited_at AS CallerExitedAt, v.answered_at AS CallerAnsweredAt,
               b.id AS CallbackId, b.status AS CallbackStatus, b.attempts AS CallbackAttempts, b.last_attempt_at AS CallbackAt
        FROM operator_states o
        LEFT JOIN queue_visits v ON v.id = (SELECT w.id FROM queue_visits w WHERE w.operator_call_sid = o.call_sid AND w.answered_at IS NOT NULL
                                            ORDER BY w.answered_at DESC LIMIT 1)
        LEFT JOIN callbacks b ON b.id = (SELECT x.id FROM callbacks x WHERE x.attempt_call_sid = o.call_sid ORDER BY x.last_attempt_at DESC LIMIT 1)
        WHERE o.operator_id IN ({string.Join(',', ids.Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)))})
          AND o.id = ({StateRows.LatestId("o.operator_id")})
        """;

    /// <summary>The operator's view now, then each new one, until <paramref name="ct"/> is cancelled or the application stops.</summary>
    public async IAsyncEnumerable<DeskView> WatchAsync(long operatorId, [EnumeratorCancellation] CancellationToken ct = default)
    {
        var inbox = LiveInbox.Create<DeskView>();
        Subscribe(operatorId, inbox);
        try
        {
            await foreach (var view in LiveInbox.ReadAsync(inbox.Reader, _stopping.Token, ct))
            {
                yield return view;
            }
        }
        finally
        {
            Unsubscribe(operatorId, inbox);
        }
    }

    private void Subscribe(long operatorId, Channel<DeskView> inbox)
    {
        lock (_gate)
        {
            if (!_subscribers.TryGetValue(operatorId, out var list))
            {
                _subscribers[operatorId] = list = [];
            }

            list.Add(inbox);
            if (_latest.TryGetValue(operatorId, out var latest))
            {
                inbox.Writer.TryWrite(latest.View);
            }

            // A new desk needs its first view now: the loop's next look reads it.
            _newcomer = true;
            if (_loop is null && !_stopping.IsCancellationRequested)
            {
                var loop = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                _loop = loop;
                var stop = loop.Token;
                _ = Task.Run(() => RunAsync(loop, stop), CancellationToken.None);
            }
        }
    }

    private bool _newcomer;

    private void Unsubscribe(long operatorId, Channel<DeskView> inbox)
    {
        CancellationTokenSource? idle = null;
        lock (_gate)
        {
            if (_subscribers.TryGetValue(operatorId, out var list) && list.Remove(inbox) && list.Count == 0)
            {
                _subscribers.Remove(operatorId);
                _latest.Remove(operatorId);
            }

            if (_subscribers.Count == 0)
            {
                (idle, _loop) = (_loop, null);
            }
        }

        idle?.Cancel();
        idle?.Dispose();
    }

    private async Task RunAsync(CancellationTokenSource loop, CancellationToken stop)
    {
        var changes = new HistoryChanges(_database, Cadence);
        var failures = 0;
        var lastRead = Cadence.GetTimestamp();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    bool due;
                    lock (_gate)
                    {
                        (due, _newcomer) = (_newcomer, false);
                    }

                    due |= await Bounded.RunAsync(changes.ChangedAsync, QueryBound, stop);
                    due |= Cadence.GetElapsedTime(lastRead) >= RefreshPeriod;
                    if (due)
                    {
                        await ReadAsync(loop, stop);
                        lastRead = Cadence.GetTimestamp();
                    }

                    failures = 0;
                }
                catch (Exception ex) when (!stop.IsCancellationRequested)
                {
                    failures++;
                    LookFailed(_log, ex, failures);
                    changes = new HistoryChanges(_database, Cadence);
                }

                await Task.Delay(failures == 0 ? PollPeriod : TimeSpan.FromSeconds(Math.Min(5, failures)), Cadence, stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
            // Nobody listens any more, or the application stops.
        }
        finally
        {
            lock (_gate)
            {
                if (_loop == loop)
                {
                    _loop = null;
                    loop.Dispose();
                }
            }
        }
    }

    /// <summary>Reads every listening operator's snapshot; publishes a view to those whose snapshot changed.</summary>
    private async Task ReadAsync(CancellationTokenSource loop, CancellationToken stop)
    {
        long[] ids;
        lock (_gate)
        {
            ids = [.. _subscribers.Keys];
        }

        if (ids.Length == 0)
        {
            return;
        }

        var sql = SnapshotSql(ids);
        var rows = (await Bounded.RunAsync(t => _database.ReadAsync(c => c.QueryAsync<Snapshot>(new CommandDefinition(sql, cancellationToken: t)), t),
            QueryBound, stop)).ToDictionary(r => r.OperatorId);
        foreach (var id in ids)
        {
            var snapshot = rows.GetValueOrDefault(id) ?? new Snapshot { OperatorId = id, State = OperatorStates.Offline };
            (Snapshot Snapshot, DeskView View) known;
            lock (_gate)
            {
                _latest.TryGetValue(id, out known);
            }

            if (known.Snapshot == snapshot)
            {
                continue;
            }

            var caller = snapshot.CallbackIsLatest ? null
                : known.Snapshot is not null && known.Snapshot.CallerCallSid == snapshot.CallerCallSid
                    && known.Snapshot.CallerExitedAt == snapshot.CallerExitedAt && !known.Snapshot.CallbackIsLatest
                ? known.View.Caller
                : snapshot.CallSid is { } leg && snapshot.CallerCallSid is not null ? await Bounded.RunAsync(t => _pops.ForAsync(leg, t), QueryBound, stop) : null;
            var callback = snapshot.Dialing is not { } dialing ? null
                : known.Snapshot?.Dialing == dialing && known.Snapshot.CallbackAttempts == snapshot.CallbackAttempts ? known.View.Callback
                : await Bounded.RunAsync(t => _pops.CallbackAsync(dialing, t), QueryBound, stop);
            var state = new CurrentState
            {
                OperatorId = id, State = snapshot.State, Reason = snapshot.Reason, StartedAt = snapshot.Id == 0 ? null : snapshot.StartedAt,
                CallSid = snapshot.CallSid, Cause = snapshot.Cause,
            };
            Publish(id, snapshot, new DeskView(DeskStateEndpoints.Of(snapshot.Id == 0 ? null : state, _options), caller, callback), loop);
        }
    }

    private void Publish(long operatorId, Snapshot snapshot, DeskView view, CancellationTokenSource loop)
    {
        lock (_gate)
        {
            if (_loop != loop || !_subscribers.TryGetValue(operatorId, out var list))
            {
                return;
            }

            _latest[operatorId] = (snapshot, view);
            foreach (var inbox in list)
            {
                inbox.Writer.TryWrite(view);
            }
        }
    }

    public void Dispose()
    {
        _onStopping.Dispose();
        _stopping.Cancel();
        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The desk feed could not read the database (failure {Failures} in a row); desks keep their last view, and it tries again")]
    private static partial void LookFailed(ILogger logger, Exception ex, int failures);
}
