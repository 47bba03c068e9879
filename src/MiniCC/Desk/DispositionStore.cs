using Dapper;
using MiniCC.Storage;

namespace MiniCC.Desk;

/// <summary>A customer call's disposition and note, as the operator who answered it last saved them.</summary>
public sealed record CallDisposition
{
    public required string CallSid { get; init; }
    public required string Disposition { get; init; }
    public string? Note { get; init; }
    public long OperatorId { get; init; }
    public long SetAt { get; init; }
    public long EnteredAt { get; init; }
    public required string QueueName { get; init; }
}

/// <summary>What became of saving a disposition.</summary>
public enum DispositionSaved
{
    Saved,

    /// <summary>No call has this CallSid.</summary>
    UnknownCall,

    /// <summary>The call exists, but this operator did not answer it (or it was never answered).</summary>
    NotTheirCall,
}

/// <summary>
/// Dispositions and notes: one per customer call, set by the operator who answered it. Saving again replaces the
/// disposition, the note, who set it and when (the last word counts; earlier ones are not kept).
/// </summary>
public sealed class DispositionStore(Database database, TimeProvider time)
{
    /// <summary>The longest note, in characters (Unicode code points, as MySQL and PostgreSQL count them).</summary>
    public const int MaxNoteLength = 2000;

    /// <summary>
    /// Saves <paramref name="disposition"/> and <paramref name="note"/> (null: none) for the customer call
    /// <paramref name="callSid"/>, when <paramref name="operatorId"/> answered it. The key and the note are checked by the caller.
    /// </summary>
    public Task<DispositionSaved> SaveAsync(string callSid, long operatorId, string disposition, string? note, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) =>
        {
            // The visit this operator answered (a caller put back in the queue after an error keeps the same visit).
            var visit = await c.QueryFirstOrDefaultAsync<AnsweredVisit>(new CommandDefinition(
                "SELECT entered_at AS EnteredAt, queue_name AS QueueName FROM queue_visits WHERE call_sid = @callSid AND operator_id = @operatorId AND answered_at IS NOT NULL " +
                "ORDER BY answered_at DESC LIMIT 1",
                new { callSid, operatorId }, tx, cancellationToken: ct));
            if (visit is null)
            {
                var known = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM calls WHERE call_sid = @callSid", new { callSid }, tx, cancellationToken: ct));
                return known == 0 ? DispositionSaved.UnknownCall : DispositionSaved.NotTheirCall;
            }

            await c.ExecuteAsync(new CommandDefinition(
                "INSERT INTO call_dispositions (call_sid, disposition, note, operator_id, set_at, entered_at, queue_name) " +
                "VALUES (@callSid, @disposition, @note, @operatorId, @now, @enteredAt, @queueName) " +
                // The same parameters again, rather than each dialect's name for the row that conflicted (excluded, VALUES()).
                database.Dialect.OnConflictUpdate("call_sid", "disposition = @disposition, note = @note, operator_id = @operatorId, " +
                    "set_at = @now, entered_at = @enteredAt, queue_name = @queueName"),
                new
                {
                    callSid, disposition, note, operatorId, now = time.GetUtcNow().ToUnixTimeMilliseconds(), enteredAt = visit.EnteredAt,
                    queueName = visit.QueueName.Trim(),
                }, tx, cancellationToken: ct));
            return DispositionSaved.Saved;
        }, ct);

    private sealed record AnsweredVisit
    {
        public long EnteredAt { get; init; }
        public string QueueName { get; init; } = "";
    }

    /// <summary>The call's disposition, or null when none was saved.</summary>
    public Task<CallDisposition?> FindAsync(string callSid, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<CallDisposition>(new CommandDefinition(
            "SELECT call_sid AS CallSid, disposition AS Disposition, note AS Note, operator_id AS OperatorId, set_at AS SetAt, " +
            "entered_at AS EnteredAt, queue_name AS QueueName FROM call_dispositions WHERE call_sid = @callSid",
            new { callSid }, cancellationToken: ct)), ct);
}
