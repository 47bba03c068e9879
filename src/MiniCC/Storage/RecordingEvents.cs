using static MiniCC.Storage.SqlBatch;

namespace MiniCC.Storage;

/// <summary>
/// A recording of a conversation: the status callback of an operator's recording <c>&lt;Dial&gt;</c> (a queue that
/// records, <c>MiniCC:Queues:N:Record</c>). Its CallSid is the operator's call; the customer's call is the one that call
/// picked up last. Twilio may repeat it, and may say <c>in-progress</c> before <c>completed</c>: the row is created by
/// the first and each fills what it knows; the status only moves on.
/// </summary>
public sealed record CallRecorded : HistoryEvent
{
    public const string Name = "call_recording";

    /// <summary>What the status callback may say.</summary>
    public static readonly IReadOnlyList<string> Statuses = ["in-progress", "completed", "absent", "failed"];

    protected override string KindName => Name;

    /// <summary>The queue whose conversation it is (MiniCC's name).</summary>
    public string Queue { get; init; } = "";

    internal override string DedupeKey => FitId((Hook.RecordingSid ?? "") + ":" + (Hook.RecordingStatus ?? ""));

    protected override string? DecisionProblem() =>
        Hook.RecordingSid is null ? "its RecordingSid is missing"
        : Hook.RecordingStatus is not { } status || !Statuses.Contains(status) ? "its RecordingStatus is not one Twilio reports"
        : QueueProblem(Queue, null) ?? VoicemailRows.RecordingProblem(Hook);

    internal override void Derive(SqlBatch sql, long now)
    {
        var startedAt = now - ((Hook.RecordingDuration ?? 0) * 1000L);
        sql.Add(sql.D.InsertIgnore("""
            call_recordings (recording_sid, operator_call_sid, call_sid, queue_name, started_at, status)
            VALUES (@sid, @CallSid,
                (SELECT v.call_sid FROM queue_visits v WHERE v.operator_call_sid = @CallSid AND v.answered_at <= @now ORDER BY v.answered_at DESC LIMIT 1),
                @queue, @startedAt, @status)
            """), A("sid", Hook.RecordingSid), A("CallSid", CallSid), A("now", now), A("queue", Queue), A("startedAt", startedAt),
            A("status", Hook.RecordingStatus));
        var final = Hook.RecordingStatus == "in-progress" ? null : Hook.RecordingStatus;
        sql.Add("""
            UPDATE call_recordings SET
                recording_url = COALESCE(@url, recording_url),
                duration_seconds = COALESCE(@duration, duration_seconds),
                channels = COALESCE(@channels, channels),
                status = COALESCE(@final, status)
            WHERE recording_sid = @sid
            """, A("url", Hook.RecordingUrl), A("duration", Hook.RecordingDuration), A("channels", Hook.RecordingChannels), A("final", final),
            A("sid", Hook.RecordingSid));
    }
}
