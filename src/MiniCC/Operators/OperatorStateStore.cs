using Dapper;
using MiniCC.Storage;

namespace MiniCC.Operators;

/// <summary>An operator's state now: their latest row of <c>operator_states</c>.</summary>
public sealed record CurrentState
{
    public long OperatorId { get; init; }

    /// <summary>Null when the operator has no state yet (signed in before states were kept).</summary>
    public string? State { get; init; }

    public string? Reason { get; init; }

    public long? StartedAt { get; init; }

    /// <summary>The operator's call that carries the state (whose end puts them offline).</summary>
    public string? CallSid { get; init; }

    public string? Cause { get; init; }

    /// <summary>When the call this state was read for last picked up a caller (<see cref="OperatorStateStore.OfLegAsync"/> only).</summary>
    public long? LastPickupAt { get; init; }
}

/// <summary>Reads operators' states (the events write them): for the loop, the desk, the Operators page and the wallboard.</summary>
public sealed class OperatorStateStore(Database database)
{
    /// <summary>
    /// The state of the operator signed in on <paramref name="legCallSid"/>, with when that call last picked up a caller;
    /// null when that call is no operator's session. One read: the loop asks it on each of its requests.
    /// </summary>
    public Task<CurrentState?> OfLegAsync(string legCallSid, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<CurrentState>(new CommandDefinition($"""
            SELECT s.operator_id AS OperatorId, o.state AS State, o.reason AS Reason, o.started_at AS StartedAt,
                   o.call_sid AS CallSid, o.cause AS Cause,
                   (SELECT MAX(v.answered_at) FROM queue_visits v WHERE v.operator_call_sid = @legCallSid) AS LastPickupAt
            FROM operator_sessions s
            LEFT JOIN operator_states o ON o.id = ({StateRows.LatestId("s.operator_id")})
            WHERE s.call_sid = @legCallSid
            """, new { legCallSid }, cancellationToken: ct)), ct);

    /// <summary>The state of one operator; null when they have none.</summary>
    public Task<CurrentState?> OfOperatorAsync(long operatorId, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<CurrentState>(new CommandDefinition($"""
            SELECT operator_id AS OperatorId, state AS State, reason AS Reason, started_at AS StartedAt, call_sid AS CallSid, cause AS Cause
            FROM operator_states WHERE id = ({StateRows.LatestId("@operatorId")})
            """, new { operatorId }, cancellationToken: ct)), ct);

    /// <summary>The state of every operator who has one.</summary>
    public async Task<IReadOnlyDictionary<long, CurrentState>> AllAsync(CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync<CurrentState>(new CommandDefinition($"""
            SELECT o.operator_id AS OperatorId, o.state AS State, o.reason AS Reason, o.started_at AS StartedAt,
                   o.call_sid AS CallSid, o.cause AS Cause
            FROM operator_directory d
            JOIN operator_states o ON o.id = ({StateRows.LatestId("d.id")})
            """, cancellationToken: ct)), ct);
        return rows.ToDictionary(r => r.OperatorId);
    }

    /// <summary>The operators who will take a caller of <paramref name="queue"/> now (<see cref="ReadStaffedAsync"/>).</summary>
    public Task<IReadOnlyList<StaffedOperator>> StaffedAsync(string queue, CancellationToken ct) => ReadStaffedAsync(database, queue, ct);

    /// <summary>
    /// The operators who will take a caller now — ready, on a call or in wrap-up (break and offline do not count) — each
    /// with their state and when it began: one query, for the menu's "is anybody there" and the wait estimate alike. Only
    /// those who serve <paramref name="queue"/>: an operator without skills serves every queue (schema 17).
    /// </summary>
    public static async Task<IReadOnlyList<StaffedOperator>> ReadStaffedAsync(Database database, string queue, CancellationToken ct) =>
        [.. await database.ReadAsync(c => c.QueryAsync<StaffedOperator>(new CommandDefinition($"""
            SELECT o.state AS State, o.started_at AS Since FROM operator_directory d
            JOIN operator_states o ON o.id = ({StateRows.LatestId("d.id")})
            WHERE o.state IN ('{OperatorStates.Ready}', '{OperatorStates.OnCall}', '{OperatorStates.WrapUp}')
              AND (NOT EXISTS (SELECT 1 FROM operator_skills k WHERE k.operator_id = d.id)
                   OR EXISTS (SELECT 1 FROM operator_skills k WHERE k.operator_id = d.id AND k.queue_name = @queue))
            """, new { queue }, cancellationToken: ct)), ct)];

    /// <summary>What changed the operator's last <paramref name="count"/> states, latest first.</summary>
    public async Task<IReadOnlyList<string>> RecentCausesAsync(long operatorId, int count, CancellationToken ct) =>
        [.. await database.ReadAsync(c => c.QueryAsync<string>(new CommandDefinition(
            "SELECT cause FROM operator_states WHERE operator_id = @operatorId ORDER BY started_at DESC, id DESC LIMIT @count",
            new { operatorId, count }, cancellationToken: ct)), ct)];

    /// <summary>Whether a caller has been waiting in <paramref name="queue"/> since <paramref name="sinceMs"/> or longer, and still is.</summary>
    public async Task<bool> CallerWaitingSinceAsync(string queue, long sinceMs, CancellationToken ct) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("""
            SELECT COUNT(*) FROM queue_visits
            WHERE exited_at IS NULL AND answered_at IS NULL AND queue_name = @queue AND entered_at <= @sinceMs AND entered_at >= @floor
            """, new { queue, sinceMs, floor = sinceMs - (24L * 3600 * 1000) }, cancellationToken: ct)), ct) > 0;
}

/// <summary>An operator who will take a caller: their state (ready, on-call, wrap-up) and when it began (Unix milliseconds).</summary>
public sealed record StaffedOperator
{
    public string State { get; init; } = "";

    public long Since { get; init; }
}
