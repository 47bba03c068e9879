using Dapper;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>
/// Tells whether any instance has committed history since the last look, from the database alone. Every webhook's
/// event appends a row to the event log, and whatever it derives (visits, sessions, calls) is written in the same
/// transaction, only when that row is new: a commit that changed what the wallboard shows added a row there.
/// <para>
/// The newest id alone would miss commits: ids are handed out when a row is inserted, not when it commits, so with
/// two instances writing, id 101 may commit while id 100 is still in flight; once 100 commits the newest id is still
/// 101. So the look also counts the rows above a floor that no transaction still running can be below: the newest id
/// seen at least <see cref="SettleTime"/> ago. A row that commits later has an id above the floor, and the count grows.
/// This holds because ids are handed out in increasing order of time across connections (AUTO_INCREMENT, an identity
/// sequence without a per-session cache, SQLite's single writer), and the event log is never deleted from.
/// </para>
/// <para>
/// When it starts, the floor is the newest id then: a transaction already in flight with an older id goes unseen
/// (the feed's periodic refresh shows it). The count reads the index of the last minute or two of events, by primary key.
/// </para>
/// </summary>
internal sealed class HistoryChanges(Database database, TimeProvider time)
{
    /// <summary>
    /// Longer than a write transaction may live (the writer gives one up after 30 s) plus a look (the feed gives one up
    /// after 5 s): the floor's id was seen after its epoch began.
    /// </summary>
    internal static readonly TimeSpan SettleTime = TimeSpan.FromSeconds(40);

    internal const string NewestSql = "SELECT COALESCE(MAX(id), 0) FROM call_events";

    internal const string MarkerSql = "SELECT COUNT(*) AS Counted, COALESCE(MAX(id), @floor) AS Newest FROM call_events WHERE id > @floor";

    private sealed record Marker
    {
        public long Counted { get; init; }
        public long Newest { get; init; }
    }

    private long _floor = -1;
    private long _nextFloor;
    private long _epochStarted;
    private Marker? _last;

    /// <summary>True when the history changed since the previous call (and on the first call).</summary>
    public async Task<bool> ChangedAsync(CancellationToken ct)
    {
        var now = time.GetTimestamp();
        if (_floor < 0)
        {
            var newest = await database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(NewestSql, cancellationToken: ct)), ct);
            (_floor, _nextFloor, _epochStarted) = (newest, newest, now);
            _last = new Marker { Counted = 0, Newest = newest };
            return true;
        }

        var newEpoch = time.GetElapsedTime(_epochStarted, now) >= SettleTime;
        if (newEpoch)
        {
            // The newest id seen when this epoch began has settled. Rows counted above the new floor are not comparable
            // with the last count: the next look is a change whatever it finds (one refresh per epoch, and only when busy).
            if (_nextFloor != _floor)
            {
                _floor = _nextFloor;
                _last = null;
            }

            _epochStarted = now;
        }

        var marker = await database.ReadAsync(c => c.QuerySingleAsync<Marker>(new CommandDefinition(MarkerSql, new { floor = _floor }, cancellationToken: ct)), ct);
        if (newEpoch)
        {
            _nextFloor = marker.Newest;
        }

        var changed = marker != _last;
        _last = marker;
        return changed;
    }
}
