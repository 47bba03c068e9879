using System.Globalization;
using static MiniCC.Storage.SqlBatch;

namespace MiniCC.Storage;

// What each kind of event means for the tables reports read. Every event is also appended to the event log
// (call_events, by HistoryWriter); the statements here run in the same transaction, only when the event is new.
// Events of one call can arrive out of order (another instance's spool replays later, a slow write commits late),
// so what an event derives never depends on which came first: each statement holds whatever the order.

/// <summary>A call reached the Voice URL. <see cref="OperatorId"/> is set for operators.</summary>
public sealed record Incoming : HistoryEvent
{
    public const string Name = "incoming";

    protected override string KindName => Name;

    public long? OperatorId { get; init; }

    internal override string DedupeKey => "1";

    protected override string? DecisionProblem() => OperatorProblem(OperatorId);

    internal override void Derive(SqlBatch sql, long now)
    {
        Derived.EnsureCall(sql, this, now, OperatorId is null ? "customer" : "operator", OperatorId);
        Derived.MarkOperatorCall(sql, this, OperatorId);
    }
}

/// <summary>An operator entered the loop (by caller ID, or after their PIN): their session starts.</summary>
public sealed record SignIn : HistoryEvent
{
    public const string Name = "sign_in";

    protected override string KindName => Name;

    public long OperatorId { get; init; }

    public string OperatorPhone { get; init; } = "";

    /// <summary>The state the operator starts in: ready, or a break the desk asked for when it called again.</summary>
    public string State { get; init; } = OperatorStates.Ready;

    /// <summary>The break's reason key, with <see cref="State"/> break.</summary>
    public string? Reason { get; init; }

    internal override string DedupeKey => "1";

    protected override string? DecisionProblem() =>
        OperatorProblem(OperatorId) ?? (OperatorPhone is null or { Length: > 32 } ? "its operator phone is missing or too long"
            : State is not (OperatorStates.Ready or OperatorStates.Break) || Reason is { Length: > 32 } ? "its state or reason is not one a sign-in starts in"
            : null);

    internal override void Derive(SqlBatch sql, long now)
    {
        Derived.EnsureCall(sql, this, now, "operator", OperatorId);
        Derived.MarkOperatorCall(sql, this, OperatorId);
        sql.Add(sql.D.InsertIgnore(
            "operator_sessions (call_sid, operator_id, phone, started_at) VALUES (@CallSid, @operatorId, @operatorPhone, @now)"),
            A("CallSid", CallSid), A("operatorId", OperatorId), A("operatorPhone", OperatorPhone), A("now", now));
        // A pickup this operator made may have been stored first: it gets its operator now.
        sql.Add("UPDATE queue_visits SET operator_id = @operatorId WHERE operator_call_sid = @CallSid AND operator_id IS NULL",
            A("operatorId", OperatorId), A("CallSid", CallSid));
        // The call may already be over (its end was stored first): the session ends with it, never left open.
        sql.Add("UPDATE operator_sessions SET ended_at = (SELECT c.ended_at FROM calls c WHERE c.call_sid = @CallSid) " +
            "WHERE call_sid = @CallSid AND ended_at IS NULL", A("CallSid", CallSid));
        StateRows.Add(sql, OperatorId, State, Reason, now, CallSid, "sign-in");
        StateRows.OfflineIfOver(sql, OperatorId, CallSid, now);
    }
}

/// <summary>A wrong (or missing) PIN; <see cref="Attempt"/> counts from 1. Only the event log keeps it.</summary>
public sealed record PinFailed : HistoryEvent
{
    public const string Name = "pin_failed";

    protected override string KindName => Name;

    public int Attempt { get; init; }

    internal override string DedupeKey => Attempt.ToString(CultureInfo.InvariantCulture);

    internal override void Derive(SqlBatch sql, long now)
    {
    }
}

/// <summary>The caller made a menu choice: <c>operator</c>, <c>information</c>, <c>invalid</c> or <c>no-input</c>.</summary>
public sealed record MenuChoice : HistoryEvent
{
    public const string Name = "ivr";

    protected override string KindName => Name;

    public string Choice { get; init; } = "invalid";

    internal override string DedupeKey => Id;

    protected override string? DecisionProblem() => Choice is null or { Length: > 20 } ? "its menu choice is missing or longer than its column" : null;

    internal override void Derive(SqlBatch sql, long now)
    {
        Derived.EnsureCall(sql, this, now, "customer", null);
        // The last choice in time wins, whichever event is stored last.
        sql.Add("""
            UPDATE calls SET ivr_choice = @choice
            WHERE call_sid = @CallSid AND NOT EXISTS (
                SELECT 1 FROM call_events e WHERE e.call_sid = @CallSid AND e.kind = 'ivr' AND e.occurred_at > @now)
            """, A("choice", Choice), A("CallSid", CallSid), A("now", now));
    }
}

/// <summary>The queue asked for its wait music: the caller is in the queue (recorded once per visit).</summary>
public sealed record Waiting : HistoryEvent
{
    public const string Name = "waiting";

    protected override string KindName => Name;

    public string Queue { get; init; } = "";

    /// <summary>Which entry into the queue: 2 after the caller was put back once; null for the first.</summary>
    public int? QueueEntry { get; init; }

    internal override string DedupeKey => Hook.QueueSid ?? "";

    protected override string? DecisionProblem() => QueueProblem(Queue, QueueEntry);

    internal override void Derive(SqlBatch sql, long now) => Derived.EnsureVisit(sql, this, Queue, now);
}

/// <summary>
/// An operator dequeued the caller (the <c>&lt;Queue url&gt;</c> request on the caller's leg). QueueTime is the wait,
/// except after the caller was put back in the queue (it then counts from the re-entry): when the visit began
/// clearly earlier than QueueTime says, the wait is taken from the visit's start.
/// </summary>
public sealed record Pickup : HistoryEvent
{
    public const string Name = "pickup";

    protected override string KindName => Name;

    public string Queue { get; init; } = "";

    internal override string DedupeKey => Hook.QueueSid ?? "";

    protected override string? DecisionProblem() => QueueProblem(Queue, null);

    internal override void Derive(SqlBatch sql, long now)
    {
        Derived.EnsureVisit(sql, this, Queue, now);
        var d = sql.D;
        sql.Add($"""
            UPDATE queue_visits SET
                answered_at = @now,
                wait_seconds = CASE WHEN @QueueTime IS NOT NULL AND @now - entered_at > @reentryMs
                                    THEN {d.IntDiv("@now - entered_at + 500", "1000")} ELSE @QueueTime END,
                operator_call_sid = @DequeingCallSid,
                operator_id = (SELECT s.operator_id FROM operator_sessions s WHERE s.call_sid = @DequeingCallSid),
                talk_seconds = CASE WHEN exited_at IS NOT NULL AND result = 'bridged'
                                    THEN {d.IntDiv("exited_at - @now + 500", "1000")} ELSE talk_seconds END
            WHERE call_sid = @CallSid AND queue_sid = @queueSid
            """,
            A("now", now), A("QueueTime", Hook.QueueTime), A("reentryMs", ((Hook.QueueTime ?? 0) + 2) * 1000L),
            A("DequeingCallSid", Hook.DequeingCallSid), A("CallSid", CallSid), A("queueSid", Hook.QueueSid ?? ""));
        StateRows.OnCall(sql, Hook.DequeingCallSid, now);
        // The caller was answered: a callback they asked for earlier (on this number) is not needed any more.
        sql.Add("UPDATE callbacks SET status = 'cancelled', completed_at = @now WHERE number = @From AND status = 'pending' AND created_at <= @now",
            A("now", now), A("From", Hook.From));
    }
}

/// <summary>
/// The caller left the queue (the <c>&lt;Enqueue action&gt;</c> request): bridged, hangup, … When Twilio reported a
/// queue error and MiniCC put the caller back in the queue (<see cref="Requeued"/>), the exit is in the event log
/// (and the original's <c>enqueue_data</c>) and the visit stays open, so the caller is offered once.
/// </summary>
public sealed record QueueExit : HistoryEvent
{
    public const string Name = "queue_exit";

    protected override string KindName => Name;

    public string Queue { get; init; } = "";

    /// <summary>Which entry into the queue this exit ends: 2 after the caller was put back once; null for the first.</summary>
    public int? QueueEntry { get; init; }

    /// <summary>MiniCC answered this exit by putting the caller back in the queue: the visit goes on.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingDefault)]
    public bool Requeued { get; init; }

    /// <summary>A visit's exit; the exit after a re-entry has its own key, and so has a requeue.</summary>
    internal override string DedupeKey =>
        (Hook.QueueSid ?? "") + (Requeued ? ":requeued" : QueueEntry > 1 ? ":" + QueueEntry.Value.ToString(CultureInfo.InvariantCulture) : "");

    protected override string? DecisionProblem() => QueueProblem(Queue, QueueEntry);

    internal override void Derive(SqlBatch sql, long now)
    {
        Derived.EnsureVisit(sql, this, Queue, now);
        if (Requeued)
        {
            return;
        }

        var d = sql.D;
        // For a bridged caller this request comes when the talk ends: talk = now - answered.
        // For everyone else QueueTime is the whole wait (of this entry: after a re-entry, now - entered).
        var unansweredWait = QueueEntry > 1 ? d.IntDiv("@now - entered_at + 500", "1000") : "COALESCE(@QueueTime, wait_seconds)";
        sql.Add($"""
            UPDATE queue_visits SET
                exited_at = @now,
                result = @QueueResult,
                wait_seconds = CASE WHEN answered_at IS NULL THEN {unansweredWait} ELSE wait_seconds END,
                talk_seconds = CASE WHEN answered_at IS NOT NULL AND @QueueResult = 'bridged'
                                    THEN {d.IntDiv("@now - answered_at + 500", "1000")} ELSE NULL END
            WHERE call_sid = @CallSid AND queue_sid = @queueSid
            """,
            A("now", now), A("QueueResult", Hook.QueueResult), A("QueueTime", Hook.QueueTime), A("CallSid", CallSid),
            A("queueSid", Hook.QueueSid ?? ""));
    }
}

/// <summary>The number's status callback: the call is over.</summary>
public sealed record CallEnd : HistoryEvent
{
    public const string Name = "call_end";

    protected override string KindName => Name;

    internal override string DedupeKey => Hook.CallStatus ?? "";

    internal override void Derive(SqlBatch sql, long now)
    {
        Derived.EnsureCall(sql, this, now - ((Hook.CallDuration ?? 0) * 1000L), "customer", null);
        sql.Add("""
            UPDATE calls SET ended_at = @now, final_status = @CallStatus, duration_seconds = @CallDuration,
                recording_url = @RecordingUrl, recording_sid = @RecordingSid, recording_duration = @RecordingDuration
            WHERE call_sid = @CallSid
            """,
            A("now", now), A("CallStatus", Hook.CallStatus), A("CallDuration", Hook.CallDuration), A("RecordingUrl", Hook.RecordingUrl),
            A("RecordingSid", Hook.RecordingSid), A("RecordingDuration", Hook.RecordingDuration), A("CallSid", CallSid));
        sql.Add("UPDATE operator_sessions SET ended_at = @now WHERE call_sid = @CallSid AND ended_at IS NULL",
            A("now", now), A("CallSid", CallSid));
        StateRows.Offline(sql, CallSid, now);
        // An operator's call that ended while it dialed a callback, before the dial's result: the callback is due again.
        sql.Add("UPDATE callbacks SET status = 'pending', due_at = @now WHERE status = 'dialing' AND attempt_call_sid = @CallSid",
            A("now", now), A("CallSid", CallSid));
    }
}

/// <summary>Rows several kinds of event create when they are the first of their call or visit to be stored.</summary>
internal static class Derived
{
    public static void EnsureCall(SqlBatch sql, HistoryEvent e, long startedAt, string role, long? operatorId) =>
        sql.Add(sql.D.InsertIgnore(
            """
            calls (call_sid, from_number, to_number, direction, role, operator_id, started_at)
            VALUES (@CallSid, @From, @To, @Direction, @role, @operatorId, @startedAt)
            """),
            A("CallSid", e.CallSid), A("From", e.Hook.From), A("To", e.Hook.To), A("Direction", e.Hook.Direction), A("role", role),
            A("operatorId", operatorId), A("startedAt", startedAt));

    /// <summary>An operator's call whose end (status callback) was stored first was taken for a customer's: correct it.</summary>
    public static void MarkOperatorCall(SqlBatch sql, HistoryEvent e, long? operatorId)
    {
        if (operatorId is not null)
        {
            sql.Add("UPDATE calls SET role = 'operator', operator_id = @operatorId WHERE call_sid = @CallSid AND role <> 'operator'",
                A("operatorId", operatorId), A("CallSid", e.CallSid));
        }
    }

    public static void EnsureVisit(SqlBatch sql, HistoryEvent e, string queueName, long now) =>
        sql.Add(sql.D.InsertIgnore(
            """
            queue_visits (call_sid, queue_sid, queue_name, from_number, entered_at)
            VALUES (@CallSid, @queueSid, @queueName, @From, @enteredAt)
            """),
            A("CallSid", e.CallSid), A("queueSid", e.Hook.QueueSid ?? ""), A("queueName", queueName), A("From", e.Hook.From),
            A("enteredAt", now - ((e.Hook.QueueTime ?? 0) * 1000L)));
}
