using Dapper;
using MiniCC.Storage;
using MiniCC.Voice;

namespace MiniCC.Reports;

/// <summary>
/// What became of the callers who did not wait in the queue (<see cref="ReportParts.NotWaiting"/>): the calls that came
/// in while the center was closed, the callers who left the queue on purpose, the callbacks and the voicemails. Each is a
/// range of one index (schema 16), counted by the time the call came in or entered the queue, as every number of the report.
/// </summary>
public sealed partial class ReportQuery
{
    internal const string ClosedCallsSql =
        "SELECT COUNT(*) FROM calls WHERE ivr_choice = '" + CallFlow.ClosedChoice + "' AND started_at >= @from AND started_at < @to";

    // The reason is stored when the caller chooses; an operator may still pick them up before they leave (result 'bridged').
    internal const string LeftQueueSql =
        "SELECT leave_reason AS Reason, COUNT(*) AS Calls FROM queue_visits " +
        "WHERE leave_reason IN ('" + QueueLeaving.Callback + "', '" + QueueLeaving.Voicemail + "', '" + QueueLeaving.MaxWait + "') " +
        "AND entered_at >= @from AND entered_at < @to AND (@queue IS NULL OR queue_name = @queue) AND result = 'leave' GROUP BY leave_reason";

    // The time to a callback runs from when the caller entered the queue (requested_at: the place they kept) to when the
    // customer answered the callback (completed_at).
    internal const string CallbacksSql =
        "SELECT status AS Reason, COUNT(*) AS Calls, SUM(CASE WHEN status = '" + CallbackStatus.Completed + "' THEN completed_at - requested_at ELSE 0 END) AS SecondSum " +
        "FROM callbacks WHERE requested_at >= @from AND requested_at < @to AND (@queue IS NULL OR queue_name = @queue) GROUP BY status";

    // A dial that did not reach the customer: busy, no-answer, failed, canceled (DialCallStatus other than completed; a
    // dial whose customer answered is 'answered' until its action comes, and stays so when the operator hung up first).
    internal const string UnansweredAttemptsSql =
        "SELECT COUNT(*) FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id " +
        "WHERE c.requested_at >= @from AND c.requested_at < @to AND (@queue IS NULL OR c.queue_name = @queue) " +
        "AND a.result IS NOT NULL AND a.result NOT IN ('completed', '" + CallbackAnswered.Result + "')";

    // A voicemail belongs to a queue when its caller was in it (left it for the message); those sent from the menu
    // (closed, no operator) belong to none, and count only in the whole center's report.
    internal const string VoicemailsSql =
        "SELECT reason AS Reason, COUNT(*) AS Calls, " +
        "SUM(CASE WHEN status IN ('" + VoicemailStatuses.Recorded + "', '" + VoicemailStatuses.Completed + "') THEN 1 ELSE 0 END) AS SecondSum " +
        "FROM voicemails v WHERE recorded_at >= @from AND recorded_at < @to " +
        "AND (@queue IS NULL OR EXISTS (SELECT 1 FROM queue_visits q WHERE q.call_sid = v.call_sid AND q.queue_name = @queue)) GROUP BY reason";

    private async Task<NotWaiting> NotWaitingAsync(long from, long to, string? queue, CancellationToken ct)
    {
        var args = new { from, to, queue };
        // Closed-hours calls never reach a queue: a report of one queue has none.
        var closed = queue is null
            ? await database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(ClosedCallsSql, args, cancellationToken: ct)), ct)
            : 0;
        var left = (await Rows(LeftQueueSql)).ToDictionary(r => r.Reason ?? "", r => r.Calls, StringComparer.Ordinal);
        var callbacks = (await Rows(CallbacksSql)).ToDictionary(r => r.Reason ?? "", StringComparer.Ordinal);
        var unanswered = await database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(UnansweredAttemptsSql, args, cancellationToken: ct)), ct);
        var voicemails = await Rows(VoicemailsSql);

        long Status(string status) => callbacks.TryGetValue(status, out var r) ? r.Calls : 0;
        var completed = Status(CallbackStatus.Completed);
        var toCallback = callbacks.Values.Sum(r => r.SecondSum);
        return new NotWaiting(
            closed,
            left.GetValueOrDefault(QueueLeaving.Callback), left.GetValueOrDefault(QueueLeaving.Voicemail), left.GetValueOrDefault(QueueLeaving.MaxWait),
            new CallbackCounts(callbacks.Values.Sum(r => r.Calls), completed, Status(CallbackStatus.Pending) + Status(CallbackStatus.Dialing),
                Status(CallbackStatus.Failed), Status(CallbackStatus.Cancelled), unanswered,
                completed == 0 ? 0 : Math.Round(toCallback / 1000.0 / completed, 2)),
            [.. VoicemailReasons.All.Select(reason => voicemails.FirstOrDefault(v => v.Reason == reason) is { } v
                ? new VoicemailCount(reason, v.Calls, v.SecondSum)
                : new VoicemailCount(reason, 0, 0))]);

        async Task<List<CountRow>> Rows(string sql) =>
            [.. await database.ReadAsync(c => c.QueryAsync<CountRow>(new CommandDefinition(sql, args, cancellationToken: ct)), ct)];
    }

    private sealed record CountRow
    {
        public string? Reason { get; init; }
        public long Calls { get; init; }

        /// <summary>A second sum: the milliseconds to the callbacks, or the messages left.</summary>
        public long SecondSum { get; init; }
    }
}
