using static MiniCC.Storage.SqlBatch;

namespace MiniCC.Storage;

/// <summary>
/// An operator's state changed by the loop (after a call, at the end of wrap-up), a key on the phone, a button at the
/// desk, a reconciliation with what Twilio reports, or the automatic break after repeated misses. Its webhook is the
/// operator's own call (the loop's request, or the desk's call when a button was pressed).
/// </summary>
public sealed record OperatorStateChanged : HistoryEvent
{
    public const string Name = "operator_state";

    protected override string KindName => Name;

    public long OperatorId { get; init; }

    /// <summary>One of <see cref="OperatorStates.All"/>.</summary>
    public string State { get; init; } = "";

    /// <summary>The break's reason key; null for other states.</summary>
    public string? Reason { get; init; }

    /// <summary>What changed it: loop, key, desk, reconciled, missed, auto-pause.</summary>
    public string Cause { get; init; } = "";

    internal override string DedupeKey => Id;

    protected override string? DecisionProblem() =>
        OperatorProblem(OperatorId)
        ?? (!OperatorStates.All.Contains(State) ? "its state is not one MiniCC knows"
            : Reason is { Length: > 32 } ? "its reason is longer than its column"
            : Cause is null or { Length: 0 or > 16 } ? "its cause is missing or longer than its column"
            : null);

    internal override void Derive(SqlBatch sql, long now) => StateRows.Add(sql, OperatorId, State, Reason, now, CallSid, Cause);
}

/// <summary>The states an operator can be in, as stored in <c>operator_states.state</c>.</summary>
public static class OperatorStates
{
    public const string Ready = "ready";
    public const string OnCall = "on-call";
    public const string WrapUp = "wrap-up";
    public const string Break = "break";
    public const string Offline = "offline";

    public static readonly IReadOnlyList<string> All = [Ready, OnCall, WrapUp, Break, Offline];
}

/// <summary>The rows of <c>operator_states</c> that events derive; an operator's state is their latest row.</summary>
internal static class StateRows
{
    private const string Columns = "operator_states (operator_id, state, reason, started_at, call_sid, cause)";

    /// <summary>
    /// The id of the latest state row of the operator named by <paramref name="operatorColumn"/>: their state. Every
    /// reader asks through this, so that all agree on the order (by time, then by id for rows of the same millisecond).
    /// </summary>
    public static string LatestId(string operatorColumn) =>
        $"SELECT x.id FROM operator_states x WHERE x.operator_id = {operatorColumn} ORDER BY x.started_at DESC, x.id DESC LIMIT 1";

    public static void Add(SqlBatch sql, long operatorId, string state, string? reason, long at, string? legCallSid, string cause) =>
        sql.Add($"INSERT INTO {Columns} VALUES (@operatorId, @state, @reason, @at, @leg, @cause)",
            A("operatorId", operatorId), A("state", state), A("reason", reason), A("at", at), A("leg", legCallSid), A("cause", cause));

    /// <summary>A caller was handed to the operator on <paramref name="legCallSid"/>: they are on a call, whatever they were.</summary>
    public static void OnCall(SqlBatch sql, string? legCallSid, long at)
    {
        if (legCallSid is null)
        {
            return;
        }

        sql.Add($"""
            INSERT INTO {Columns}
            SELECT s.operator_id, '{OperatorStates.OnCall}', NULL, @at, @leg, 'pickup' FROM operator_sessions s WHERE s.call_sid = @leg
            """, A("at", at), A("leg", legCallSid));
    }

    /// <summary>
    /// The operator's call ended: they are offline, unless their state has moved to another call of theirs since (a desk
    /// that called again, a second phone), which then carries it. Held whatever the order: a sign-in stored after this
    /// end adds the offline row itself (<see cref="OfflineIfOver"/>).
    /// </summary>
    public static void Offline(SqlBatch sql, string? legCallSid, long at)
    {
        sql.Add($"""
            INSERT INTO {Columns}
            SELECT s.operator_id, '{OperatorStates.Offline}', NULL, @at, @leg, 'call-end' FROM operator_sessions s
            WHERE s.call_sid = @leg
              AND (SELECT o.call_sid FROM operator_states o WHERE o.id = ({LatestId("s.operator_id")})) = @leg
            """, A("at", at), A("leg", legCallSid));
    }

    /// <summary>A sign-in stored after its call's end: the operator is offline from that end, never left signed in.</summary>
    public static void OfflineIfOver(SqlBatch sql, long operatorId, string? legCallSid, long at) =>
        sql.Add($"""
            INSERT INTO {Columns}
            SELECT @operatorId, '{OperatorStates.Offline}', NULL, c.ended_at, @leg, 'call-end' FROM calls c
            WHERE c.call_sid = @leg AND c.ended_at IS NOT NULL AND c.ended_at >= @at
            """, A("operatorId", operatorId), A("leg", legCallSid), A("at", at));
}
