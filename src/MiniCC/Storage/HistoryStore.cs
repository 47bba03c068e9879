using System.Data.Common;
using System.Text.Json;
using Dapper;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Storage;

/// <summary>What happened to the calls: the event log and, in the same transaction, the tables reports read.</summary>
public sealed class HistoryStore(Database database, TimeProvider time)
{
    public static class Kinds
    {
        public const string Incoming = "incoming";
        public const string Ivr = "ivr";
        public const string Waiting = "waiting";
        public const string Pickup = "pickup";
        public const string QueueExit = "queue_exit";
        public const string CallEnd = "call_end";
        public const string SignIn = "sign_in";
        public const string PinFailed = "pin_failed";

        public static readonly IReadOnlySet<string> All =
            new HashSet<string>([Incoming, Ivr, Waiting, Pickup, QueueExit, CallEnd, SignIn, PinFailed], StringComparer.Ordinal);
    }

    private SqlDialect D => database.Dialect;

    /// <summary>
    /// Records <paramref name="e"/>: appends it to the event log and, when it is new (not a replay),
    /// derives the report tables in the same transaction. Returns false for a replay.
    /// </summary>
    public Task<bool> ApplyAsync(HistoryEvent e, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (e.Problem(out var parsed) is { } problem || parsed is not { } hook)
        {
            throw new InvalidDataException($"Event {e.Id} ({e.Kind}) cannot be stored: {e.Problem()}.");
        }

        var at = DateTimeOffset.FromUnixTimeMilliseconds(e.At);
        var queue = e.Queue ?? "";
        return e.Kind switch
        {
            Kinds.Incoming => RecordIncomingAsync(hook, e.OperatorId, at, ct),
            Kinds.SignIn => RecordSignInAsync(hook, e.OperatorId ?? 0, e.OperatorPhone ?? "", at, ct),
            Kinds.PinFailed => RecordPinFailureAsync(hook, e.Attempt ?? 0, at, ct),
            Kinds.Ivr => RecordIvrChoiceAsync(hook, e.Choice ?? "invalid", e.Id, at, ct),
            Kinds.Waiting => RecordWaitingAsync(hook, queue, at, ct),
            Kinds.Pickup => RecordPickupAsync(hook, queue, at, ct),
            Kinds.QueueExit => e.Requeued
                ? RecordRequeueAsync(hook, queue, at, ct)
                : RecordQueueExitAsync(hook, queue, e.QueueEntry ?? 1, at, ct),
            Kinds.CallEnd => RecordCallEndAsync(hook, at, ct),
            _ => throw new InvalidDataException($"Event {e.Id} has an unknown kind '{e.Kind}'."),
        };
    }

    /// <summary>Now, for the clock the application was given (the emulator's in tests).</summary>
    public DateTimeOffset Now => time.GetUtcNow();

    /// <summary>A call reached the Voice URL. <paramref name="operatorId"/> is set for operators.</summary>
    private Task<bool> RecordIncomingAsync(VoiceWebhook hook, long? operatorId, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.Incoming, hook, "1", at, async (c, tx, now) =>
        {
            await EnsureCallAsync(c, tx, hook, now, operatorId is null ? "customer" : "operator", operatorId, ct);
            await MarkOperatorCallAsync(c, tx, hook, operatorId, ct);
        }, ct);

    // Events of one call can arrive out of order (another instance's spool replays later, a slow write commits late),
    // so what an event derives never depends on which came first: each update below holds whatever the order.

    /// <summary>An operator's call whose end (status callback) was stored first was taken for a customer's: correct it.</summary>
    private static Task MarkOperatorCallAsync(DbConnection c, DbTransaction tx, VoiceWebhook hook, long? operatorId, CancellationToken ct) =>
        operatorId is null
            ? Task.CompletedTask
            : c.ExecuteAsync(new CommandDefinition(
                "UPDATE calls SET role = 'operator', operator_id = @operatorId WHERE call_sid = @CallSid AND role <> 'operator'",
                new { operatorId, hook.CallSid }, tx, cancellationToken: ct));

    /// <summary>An operator entered the loop (by caller ID, or after their PIN): their session starts.</summary>
    private Task<bool> RecordSignInAsync(VoiceWebhook hook, long operatorId, string operatorPhone, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.SignIn, hook, "1", at, async (c, tx, now) =>
        {
            await EnsureCallAsync(c, tx, hook, now, "operator", operatorId, ct);
            await MarkOperatorCallAsync(c, tx, hook, operatorId, ct);
            await c.ExecuteAsync(new CommandDefinition(D.InsertIgnore(
                "operator_sessions (call_sid, operator_id, phone, started_at) VALUES (@CallSid, @operatorId, @operatorPhone, @now)"),
                new { hook.CallSid, operatorId, operatorPhone, now }, tx, cancellationToken: ct));
            // A pickup this operator made may have been stored first: it gets its operator now.
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE queue_visits SET operator_id = @operatorId WHERE operator_call_sid = @CallSid AND operator_id IS NULL",
                new { operatorId, hook.CallSid }, tx, cancellationToken: ct));
            // The call may already be over (its end was stored first): the session ends with it, never left open.
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE operator_sessions SET ended_at = (SELECT c.ended_at FROM calls c WHERE c.call_sid = @CallSid) " +
                "WHERE call_sid = @CallSid AND ended_at IS NULL", new { hook.CallSid }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>A wrong (or missing) PIN; <paramref name="attempt"/> counts from 1.</summary>
    private Task<bool> RecordPinFailureAsync(VoiceWebhook hook, int attempt, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.PinFailed, hook, attempt.ToString(System.Globalization.CultureInfo.InvariantCulture), at,
            (_, _, _) => Task.CompletedTask, ct);

    /// <summary>Whether this call signed in as an operator (the operator loop serves no one else).</summary>
    public Task<bool> IsSignedInAsync(string callSid, CancellationToken ct) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM operator_sessions WHERE call_sid = @callSid", new { callSid }, cancellationToken: ct)) > 0, ct);

    /// <summary>The caller made a menu choice: <c>operator</c>, <c>information</c>, <c>invalid</c> or <c>no-input</c>.</summary>
    private Task<bool> RecordIvrChoiceAsync(VoiceWebhook hook, string choice, string eventId, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.Ivr, hook, eventId, at, async (c, tx, now) =>
        {
            await EnsureCallAsync(c, tx, hook, now, "customer", null, ct);
            // The last choice in time wins, whichever event is stored last.
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE calls SET ivr_choice = @choice
                WHERE call_sid = @CallSid AND NOT EXISTS (
                    SELECT 1 FROM call_events e WHERE e.call_sid = @CallSid AND e.kind = 'ivr' AND e.occurred_at > @now)
                """, new { choice, hook.CallSid, now }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>The queue asked for its wait music: the caller is in the queue (recorded once per visit).</summary>
    private Task<bool> RecordWaitingAsync(VoiceWebhook hook, string queueName, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.Waiting, hook, hook.QueueSid ?? "", at, (c, tx, now) =>
            EnsureVisitAsync(c, tx, hook, queueName, now, ct), ct);

    /// <summary>
    /// An operator dequeued the caller (the <c>&lt;Queue url&gt;</c> request on the caller's leg). QueueTime is the wait,
    /// except after the caller was put back in the queue (it then counts from the re-entry): when the visit began
    /// clearly earlier than QueueTime says, the wait is taken from the visit's start.
    /// </summary>
    private Task<bool> RecordPickupAsync(VoiceWebhook hook, string queueName, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.Pickup, hook, hook.QueueSid ?? "", at, async (c, tx, now) =>
        {
            await EnsureVisitAsync(c, tx, hook, queueName, now, ct);
            await c.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE queue_visits SET
                    answered_at = @now,
                    wait_seconds = CASE WHEN @QueueTime IS NOT NULL AND @now - entered_at > @reentryMs
                                        THEN {D.IntDiv("@now - entered_at + 500", "1000")} ELSE @QueueTime END,
                    operator_call_sid = @DequeingCallSid,
                    operator_id = (SELECT s.operator_id FROM operator_sessions s WHERE s.call_sid = @DequeingCallSid),
                    talk_seconds = CASE WHEN exited_at IS NOT NULL AND result = 'bridged'
                                        THEN {D.IntDiv("exited_at - @now + 500", "1000")} ELSE talk_seconds END
                WHERE call_sid = @CallSid AND queue_sid = @queueSid
                """,
                new
                {
                    now, hook.QueueTime, reentryMs = ((hook.QueueTime ?? 0) + 2) * 1000L, hook.DequeingCallSid, hook.CallSid,
                    queueSid = hook.QueueSid ?? "",
                }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>The caller left the queue (the <c>&lt;Enqueue action&gt;</c> request): bridged, hangup, …</summary>
    private Task<bool> RecordQueueExitAsync(VoiceWebhook hook, string queueName, int entry, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.QueueExit, hook, VisitKey(hook, entry), at, async (c, tx, now) =>
        {
            await EnsureVisitAsync(c, tx, hook, queueName, now, ct);
            // For a bridged caller this request comes when the talk ends: talk = now - answered.
            // For everyone else QueueTime is the whole wait (of this entry: after a re-entry, now - entered).
            var unansweredWait = entry > 1 ? D.IntDiv("@now - entered_at + 500", "1000") : "COALESCE(@QueueTime, wait_seconds)";
            await c.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE queue_visits SET
                    exited_at = @now,
                    result = @QueueResult,
                    wait_seconds = CASE WHEN answered_at IS NULL THEN {unansweredWait} ELSE wait_seconds END,
                    talk_seconds = CASE WHEN answered_at IS NOT NULL AND @QueueResult = 'bridged'
                                        THEN {D.IntDiv("@now - answered_at + 500", "1000")} ELSE NULL END
                WHERE call_sid = @CallSid AND queue_sid = @queueSid
                """,
                new { now, hook.QueueResult, hook.QueueTime, hook.CallSid, queueSid = hook.QueueSid ?? "" }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>
    /// Twilio reported a queue error and MiniCC put the caller back in the queue: the exit is in the event log
    /// (and the original's <c>enqueue_data</c>), and the visit stays open, so the caller is offered once.
    /// </summary>
    private Task<bool> RecordRequeueAsync(VoiceWebhook hook, string queueName, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.QueueExit, hook, (hook.QueueSid ?? "") + ":requeued", at, (c, tx, now) =>
            EnsureVisitAsync(c, tx, hook, queueName, now, ct), ct);

    /// <summary>The dedupe key of a visit's exit; the exit after a re-entry has its own.</summary>
    private static string VisitKey(VoiceWebhook hook, int entry) =>
        (hook.QueueSid ?? "") + (entry > 1 ? ":" + entry.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");

    /// <summary>The number's status callback: the call is over.</summary>
    private Task<bool> RecordCallEndAsync(VoiceWebhook hook, DateTimeOffset at, CancellationToken ct) =>
        RecordAsync(Kinds.CallEnd, hook, hook.CallStatus ?? "", at, async (c, tx, now) =>
        {
            await EnsureCallAsync(c, tx, hook, now - ((hook.CallDuration ?? 0) * 1000L), "customer", null, ct);
            await c.ExecuteAsync(new CommandDefinition(
                """
                UPDATE calls SET ended_at = @now, final_status = @CallStatus, duration_seconds = @CallDuration,
                    recording_url = @RecordingUrl, recording_sid = @RecordingSid, recording_duration = @RecordingDuration
                WHERE call_sid = @CallSid
                """,
                new { now, hook.CallStatus, hook.CallDuration, hook.RecordingUrl, hook.RecordingSid, hook.RecordingDuration, hook.CallSid },
                tx, cancellationToken: ct));
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE operator_sessions SET ended_at = @now WHERE call_sid = @CallSid AND ended_at IS NULL",
                new { now, hook.CallSid }, tx, cancellationToken: ct));
        }, ct);

    /// <summary>Appends the event at <paramref name="at"/>; when it is new, applies <paramref name="derive"/> in the same transaction.</summary>
    private Task<bool> RecordAsync(string kind, VoiceWebhook hook, string? dedupeKey, DateTimeOffset at,
        Func<DbConnection, DbTransaction, long, Task> derive, CancellationToken ct)
    {
        var now = at.ToUnixTimeMilliseconds();
        var row = new
        {
            hook.CallSid,
            kind,
            dedupeKey,
            now,
            hook.From,
            hook.To,
            hook.CallStatus,
            hook.ApiVersion,
            hook.Direction,
            hook.ForwardedFrom,
            hook.CallerName,
            hook.Digits,
            hook.QueueSid,
            hook.QueueTime,
            hook.QueueResult,
            hook.DequeingCallSid,
            hook.CallDuration,
            hook.RecordingUrl,
            hook.RecordingSid,
            hook.RecordingDuration,
            Params = JsonSerializer.Serialize(hook.All),
        };
        return database.WriteAsync(async (c, tx) =>
        {
            var inserted = await c.ExecuteAsync(new CommandDefinition(D.InsertIgnore(
                """
                call_events (call_sid, kind, dedupe_key, occurred_at, from_number, to_number, call_status, api_version,
                    direction, forwarded_from, caller_name, digits, queue_sid, queue_time, queue_result, dequeing_call_sid,
                    call_duration, recording_url, recording_sid, recording_duration, params)
                VALUES (@CallSid, @kind, @dedupeKey, @now, @From, @To, @CallStatus, @ApiVersion,
                    @Direction, @ForwardedFrom, @CallerName, @Digits, @QueueSid, @QueueTime, @QueueResult, @DequeingCallSid,
                    @CallDuration, @RecordingUrl, @RecordingSid, @RecordingDuration, @Params)
                """), row, tx, cancellationToken: ct));
            if (inserted == 0)
            {
                return false;
            }

            await derive(c, tx, now);
            await Reports.Rollups.MarkAsync(c, tx, D, [hook.CallSid], ct);
            return true;
        }, ct);
    }

    private Task EnsureCallAsync(DbConnection c, DbTransaction tx, VoiceWebhook hook, long startedAt, string role, long? operatorId, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(D.InsertIgnore(
            """
            calls (call_sid, from_number, to_number, direction, role, operator_id, started_at)
            VALUES (@CallSid, @From, @To, @Direction, @role, @operatorId, @startedAt)
            """), new { hook.CallSid, hook.From, hook.To, hook.Direction, role, operatorId, startedAt }, tx, cancellationToken: ct));

    private Task EnsureVisitAsync(DbConnection c, DbTransaction tx, VoiceWebhook hook, string queueName, long now, CancellationToken ct) =>
        c.ExecuteAsync(new CommandDefinition(D.InsertIgnore(
            """
            queue_visits (call_sid, queue_sid, queue_name, from_number, entered_at)
            VALUES (@CallSid, @queueSid, @queueName, @From, @enteredAt)
            """), new
        {
            hook.CallSid,
            queueSid = hook.QueueSid ?? "",
            queueName,
            hook.From,
            enteredAt = now - ((hook.QueueTime ?? 0) * 1000L),
        }, tx, cancellationToken: ct));
}
