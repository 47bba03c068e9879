using System.Globalization;
using static MiniCC.Storage.SqlBatch;

namespace MiniCC.Storage;

// Callbacks as events. The request and each attempt's end are events of their calls, derived into `callbacks` and
// `callback_attempts`; the claim of a callback by an operator's call is the one direct write (CallbackStore.ClaimAsync):
// a conditional UPDATE whose row count says which of several operators dials it.

/// <summary>A callback's state in <c>callbacks.status</c> (schema 15 says what each means).</summary>
public static class CallbackStatus
{
    public const string Pending = "pending";
    public const string Dialing = "dialing";
    public const string Completed = "completed";
    public const string Failed = "failed";
    public const string Cancelled = "cancelled";
}

/// <summary>
/// A caller left the queue on purpose (<c>&lt;Leave&gt;</c>): to be called back, to leave a voicemail, or because they
/// waited the longest MiniCC lets anyone wait. Twilio's QueueResult says only <c>leave</c>; this says why.
/// </summary>
public sealed record QueueLeaving : HistoryEvent
{
    public const string Name = "queue_leaving";

    /// <summary>The reasons, as stored in <c>queue_visits.leave_reason</c>.</summary>
    public static readonly IReadOnlyList<string> Reasons = [Callback, Voicemail, MaxWait];

    public const string Callback = "callback";
    public const string Voicemail = "voicemail";
    public const string MaxWait = "max-wait";

    protected override string KindName => Name;

    public string Reason { get; init; } = "";

    internal override string DedupeKey => Id;

    protected override string? DecisionProblem() => Reasons.Contains(Reason) ? null : "its reason is not one MiniCC gives";

    // The visit is stored by the caller's first wait, which came before any key could be pressed. Only when that wait
    // is still in a spool (the database was away) does this find no visit: the visit then says "leave" without why.
    internal override void Derive(SqlBatch sql, long now) =>
        sql.Add("UPDATE queue_visits SET leave_reason = @reason WHERE call_sid = @CallSid", A("reason", Reason), A("CallSid", CallSid));
}

/// <summary>
/// A caller asked to be called back on <see cref="Number"/>. <see cref="RequestedAt"/> is when they entered the queue
/// (or now, when they asked without queueing): the callback keeps that place in line.
/// </summary>
public sealed record CallbackRequested : HistoryEvent
{
    public const string Name = "callback_request";

    protected override string KindName => Name;

    /// <summary>E.164.</summary>
    public string Number { get; init; } = "";

    public string Queue { get; init; } = "";

    public long RequestedAt { get; init; }

    internal override string DedupeKey => "1";

    protected override string? DecisionProblem() =>
        QueueProblem(Queue, null) ?? (!MiniCC.Operators.PhoneNumber.IsE164(Number)
            ? "its number is not E.164"
            : RequestedAt <= 0 || RequestedAt > At ? "its time in line is not before the request" : null);

    internal override void Derive(SqlBatch sql, long now)
    {
        Derived.EnsureCall(sql, this, now, "customer", null);
        sql.Add(sql.D.InsertIgnore("""
            callbacks (call_sid, number, from_number, queue_name, requested_at, created_at, status, attempts, due_at)
            VALUES (@CallSid, @number, @From, @queue, @requestedAt, @now, 'pending', 0, @now)
            """),
            A("CallSid", CallSid), A("number", Number), A("From", Hook.From), A("queue", Queue), A("requestedAt", RequestedAt), A("now", now));
    }
}

/// <summary>An operator's call claimed callback <see cref="CallbackId"/> and dials it (attempt <see cref="Attempt"/>).</summary>
public sealed record CallbackDialed : HistoryEvent
{
    public const string Name = "callback_dial";

    protected override string KindName => Name;

    public long CallbackId { get; init; }

    public int Attempt { get; init; }

    public long OperatorId { get; init; }

    internal override string DedupeKey => CallbackId.ToString(CultureInfo.InvariantCulture) + ":" + Attempt.ToString(CultureInfo.InvariantCulture);

    protected override string? DecisionProblem() => OperatorProblem(OperatorId) ?? (CallbackId <= 0 || Attempt is < 1 or > 99 ? "its callback or attempt is out of range" : null);

    internal override void Derive(SqlBatch sql, long now)
    {
        sql.Add(sql.D.InsertIgnore("""
            callback_attempts (callback_id, attempt, operator_call_sid, operator_id, started_at)
            VALUES (@id, @attempt, @CallSid, @operatorId, @now)
            """),
            A("id", CallbackId), A("attempt", Attempt), A("CallSid", CallSid), A("operatorId", OperatorId), A("now", now));
        sql.Add("UPDATE callbacks SET operator_id = @operatorId WHERE id = @id AND attempts = @attempt",
            A("operatorId", OperatorId), A("id", CallbackId), A("attempt", Attempt));
        // Dialing a customer occupies the operator as a call does; how the dial ends decides what follows.
        StateRows.Add(sql, OperatorId, OperatorStates.OnCall, null, now, CallSid, "callback");
    }
}

/// <summary>
/// A callback's dial ended (the Dial's action on the operator's call, when the conversation is over: a reached callback's
/// <c>completed_at</c> is when the customer answered, this time less <c>DialCallDuration</c>): <c>DialCallStatus</c> says how, and
/// <see cref="Status"/> what becomes of the callback (completed; pending again from <see cref="DueAt"/>; failed when
/// its attempts are used up).
/// </summary>
public sealed record CallbackEnded : HistoryEvent
{
    public const string Name = "callback_result";

    protected override string KindName => Name;

    public long CallbackId { get; init; }

    public int Attempt { get; init; }

    /// <summary>completed, pending or failed.</summary>
    public string Status { get; init; } = "";

    public long DueAt { get; init; }

    internal override string DedupeKey => CallbackId.ToString(CultureInfo.InvariantCulture) + ":" + Attempt.ToString(CultureInfo.InvariantCulture);

    protected override string? DecisionProblem() =>
        CallbackId <= 0 || Attempt is < 1 or > 99 ? "its callback or attempt is out of range"
        : Status is not ("completed" or "pending" or "failed") ? "its status is not one a dial ends in"
        : Hook.DialCallStatus is null or { Length: > 16 } ? "it has no DialCallStatus" : null;

    internal override void Derive(SqlBatch sql, long now)
    {
        var result = Hook.DialCallStatus;
        sql.Add("""
            UPDATE callback_attempts SET ended_at = @now, result = @result, dial_call_sid = @dialCallSid, talk_seconds = @talk
            WHERE callback_id = @id AND attempt = @attempt
            """,
            A("now", now), A("result", result), A("dialCallSid", Hook.DialCallSid), A("talk", Hook.DialCallDuration), A("id", CallbackId),
            A("attempt", Attempt));
        // Only the attempt that holds the callback ends it: a late replay of an earlier attempt changes nothing. The
        // operator's call may have ended first (and put the callback back to pending): its result still counts.
        sql.Add("""
            UPDATE callbacks SET status = @status, due_at = @dueAt, last_result = @result, last_attempt_at = @now,
                completed_at = CASE WHEN @status = 'completed' THEN @answeredAt ELSE completed_at END
            WHERE id = @id AND attempts = @attempt AND status IN ('dialing', 'pending')
            """,
            A("status", Status), A("dueAt", DueAt), A("result", result), A("now", now), A("answeredAt", now - ((Hook.DialCallDuration ?? 0) * 1000L)),
            A("id", CallbackId), A("attempt", Attempt));
        // The customer's answer completed it already (CallbackAnswered, at the moment they answered): the result only says how it ended.
        sql.Add("UPDATE callbacks SET last_result = @result, last_attempt_at = @now WHERE id = @id AND attempts = @attempt AND status = 'completed'",
            A("result", result), A("now", now), A("id", CallbackId), A("attempt", Attempt));
    }
}

/// <summary>
/// The customer answered callback <see cref="CallbackId"/> (attempt <see cref="Attempt"/>): the request of the <c>&lt;Number url&gt;</c>
/// on their leg (its CallSid is the dialed leg's). The callback is completed from this moment, even if the Dial's action
/// never comes (the operator hung up first); when it comes, it finds the callback completed and fills the attempt's result.
/// </summary>
public sealed record CallbackAnswered : HistoryEvent
{
    public const string Name = "callback_answered";

    /// <summary>The attempt's result until the Dial's action says how it ended.</summary>
    public const string Result = "answered";

    protected override string KindName => Name;

    public long CallbackId { get; init; }

    public int Attempt { get; init; }

    internal override string DedupeKey => CallbackId.ToString(CultureInfo.InvariantCulture) + ":" + Attempt.ToString(CultureInfo.InvariantCulture);

    protected override string? DecisionProblem() =>
        CallbackId <= 0 || Attempt is < 1 or > 99 ? "its callback or attempt is out of range" : null;

    internal override void Derive(SqlBatch sql, long now)
    {
        sql.Add("""
            UPDATE callback_attempts SET result = @result, dial_call_sid = @CallSid
            WHERE callback_id = @id AND attempt = @attempt AND result IS NULL
            """,
            A("result", Result), A("CallSid", CallSid), A("id", CallbackId), A("attempt", Attempt));
        sql.Add("""
            UPDATE callbacks SET status = 'completed', completed_at = @now, last_result = @result, last_attempt_at = @now
            WHERE id = @id AND attempts = @attempt AND status IN ('dialing', 'pending')
            """,
            A("now", now), A("result", Result), A("id", CallbackId), A("attempt", Attempt));
    }
}
