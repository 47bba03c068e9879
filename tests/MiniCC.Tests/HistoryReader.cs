using Dapper;
using MiniCC.Storage;

namespace MiniCC.Tests;

/// <summary>
/// The stored history as tests read it. A webhook's event may be in the spool rather than the database (a
/// slow or busy database, a loaded machine), so every read first waits for this instance's spool to be replayed.
/// </summary>
public sealed class HistoryReader(Database database, Spool? spool)
{
    public static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(60);

    public sealed record QueueVisit
    {
        public required string CallSid { get; init; }
        public required string QueueSid { get; init; }
        public required string QueueName { get; init; }
        public string? FromNumber { get; init; }
        public long EnteredAt { get; init; }
        public long? AnsweredAt { get; init; }
        public long? WaitSeconds { get; init; }
        public string? OperatorCallSid { get; init; }
        public long? OperatorId { get; init; }
        public long? ExitedAt { get; init; }
        public string? Result { get; init; }
        public long? TalkSeconds { get; init; }
    }

    public sealed record CallRow
    {
        public required string CallSid { get; init; }
        public string? FromNumber { get; init; }
        public string? ToNumber { get; init; }
        public required string Role { get; init; }
        public long? OperatorId { get; init; }
        public long StartedAt { get; init; }
        public string? IvrChoice { get; init; }
        public long? EndedAt { get; init; }
        public string? FinalStatus { get; init; }
        public long? DurationSeconds { get; init; }
        public string? RecordingSid { get; init; }
    }

    public sealed record EventRow
    {
        public long Id { get; init; }
        public required string CallSid { get; init; }
        public required string Kind { get; init; }
        public long OccurredAt { get; init; }
        public string? FromNumber { get; init; }
        public string? CallStatus { get; init; }
        public string? Digits { get; init; }
        public string? QueueSid { get; init; }
        public long? QueueTime { get; init; }
        public string? QueueResult { get; init; }
        public string? DequeingCallSid { get; init; }
        public long? CallDuration { get; init; }
        public required string Params { get; init; }
    }

    /// <summary>Waits until this instance's spool is empty (or <see cref="DrainTimeout"/> passes: the assertions then say what is missing).</summary>
    public async Task DrainAsync()
    {
        var deadline = DateTime.UtcNow + DrainTimeout;
        while (spool is { Backlog: > 0 } && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20);
        }
    }

    public Task<IReadOnlyList<QueueVisit>> QueueVisitsAsync(CancellationToken ct) =>
        QueryAsync<QueueVisit>(
            "SELECT call_sid AS CallSid, queue_sid AS QueueSid, queue_name AS QueueName, from_number AS FromNumber, entered_at AS EnteredAt, " +
            "answered_at AS AnsweredAt, wait_seconds AS WaitSeconds, operator_call_sid AS OperatorCallSid, operator_id AS OperatorId, " +
            "exited_at AS ExitedAt, result AS Result, talk_seconds AS TalkSeconds FROM queue_visits ORDER BY entered_at, id", ct);

    public Task<IReadOnlyList<CallRow>> CallsAsync(CancellationToken ct) =>
        QueryAsync<CallRow>(
            "SELECT call_sid AS CallSid, from_number AS FromNumber, to_number AS ToNumber, role AS Role, operator_id AS OperatorId, " +
            "started_at AS StartedAt, ivr_choice AS IvrChoice, ended_at AS EndedAt, final_status AS FinalStatus, " +
            "duration_seconds AS DurationSeconds, recording_sid AS RecordingSid FROM calls ORDER BY started_at, call_sid", ct);

    public Task<IReadOnlyList<EventRow>> EventsAsync(CancellationToken ct) =>
        QueryAsync<EventRow>(
            "SELECT id AS Id, call_sid AS CallSid, kind AS Kind, occurred_at AS OccurredAt, from_number AS FromNumber, " +
            "call_status AS CallStatus, digits AS Digits, queue_sid AS QueueSid, queue_time AS QueueTime, queue_result AS QueueResult, " +
            "dequeing_call_sid AS DequeingCallSid, call_duration AS CallDuration, params AS Params FROM call_events ORDER BY id", ct);

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, CancellationToken ct)
    {
        await DrainAsync();
        return await database.ReadAsync<IReadOnlyList<T>>(async c => (await c.QueryAsync<T>(new CommandDefinition(sql, cancellationToken: ct))).AsList(), ct);
    }
}
