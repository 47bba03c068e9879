using Dapper;
using MiniCC.Storage;

namespace MiniCC.Callbacks;

/// <summary>A callback an operator's call has claimed and now dials.</summary>
public sealed record ClaimedCallback
{
    public long Id { get; init; }
    public string Number { get; init; } = "";
    public long RequestedAt { get; init; }
    public int Attempt { get; init; }
}

/// <summary>
/// Callbacks as the flows need them: whose turn it is, who is ahead of a waiting caller, and the claim that makes a
/// callback dialed by one operator only, whichever instance each operator's loop runs on.
/// </summary>
public sealed class CallbackStore(Database database)
{
    /// <summary>A caller still counted as waiting entered the queue within this long (a visit whose exit was lost does not block callbacks for ever).</summary>
    private static readonly TimeSpan WaitingAtMost = TimeSpan.FromHours(12);

    /// <summary>True when <paramref name="number"/> already has a callback waiting for its turn or being dialed.</summary>
    public Task<bool> HasOpenAsync(string number, CancellationToken ct) =>
        database.ReadAsync(async c => await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM callbacks WHERE number = @number AND status IN ('pending', 'dialing')",
            new { number }, cancellationToken: ct)) > 0, ct);

    /// <summary>Callbacks of <paramref name="queue"/> still to be dialed whose place is before <paramref name="enteredAt"/>.</summary>
    public Task<int> AheadOfAsync(string queue, long enteredAt, CancellationToken ct) =>
        database.ReadAsync(async c => (int)await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM callbacks WHERE queue_name = @queue AND status = 'pending' AND requested_at < @enteredAt",
            new { queue, enteredAt }, cancellationToken: ct)), ct);

    /// <summary>Why the caller of <paramref name="callSid"/> left the queue on purpose (a <see cref="QueueLeaving"/> reason), or null.</summary>
    public Task<string?> LeaveReasonAsync(string callSid, CancellationToken ct) =>
        database.ReadAsync(c => c.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT leave_reason FROM queue_visits WHERE call_sid = @callSid AND leave_reason IS NOT NULL ORDER BY entered_at DESC LIMIT 1",
            new { callSid }, cancellationToken: ct)), ct);

    /// <summary>
    /// The callback whose turn it is, claimed for the operator's call <paramref name="legCallSid"/>; null when the oldest
    /// waiting item of <paramref name="queue"/> is a caller in the queue, or no callback is due. Callbacks whose number
    /// was answered since they were asked for are cancelled on the way.
    /// </summary>
    public async Task<ClaimedCallback?> ClaimAsync(string queue, string legCallSid, long now, CancellationToken ct)
    {
        // Each round either claims, cancels, or loses a callback to another operator: a few rounds are plenty.
        for (var round = 0; round < 5; round++)
        {
            var next = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<Candidate>(new CommandDefinition("""
                SELECT id AS Id, call_sid AS CallSid, number AS Number, requested_at AS RequestedAt, created_at AS CreatedAt, attempts AS Attempts
                FROM callbacks
                WHERE queue_name = @queue AND status = 'pending' AND due_at <= @now
                ORDER BY requested_at, id
                LIMIT 1
                """, new { queue, now }, cancellationToken: ct)), ct);
            if (next is null)
            {
                return null;
            }

            var outcome = await database.WriteAsync(async (c, tx) =>
            {
                var answered = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT (SELECT COUNT(*) FROM queue_visits WHERE from_number = @number AND answered_at >= @createdAt) + " +
                    "(SELECT COUNT(*) FROM callbacks WHERE number = @number AND status = 'completed' AND completed_at >= @createdAt)",
                    new { number = next.Number, createdAt = next.CreatedAt }, tx, cancellationToken: ct));
                if (answered > 0)
                {
                    await c.ExecuteAsync(new CommandDefinition(
                        "UPDATE callbacks SET status = 'cancelled', completed_at = @now WHERE id = @id AND status = 'pending'",
                        new { now, id = next.Id }, tx, cancellationToken: ct));
                    return Outcome.Cancelled;
                }

                // Its turn only when no caller in the queue entered before its place, and the requester has left the
                // queue: while they hear the confirmation before their <Leave>, an operator's <Dial><Queue> may still
                // take them (the pickup then cancels the callback), and a claim now would give them to two operators.
                var waiting = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                    SELECT COUNT(*) FROM queue_visits
                    WHERE answered_at IS NULL AND exited_at IS NULL AND entered_at > @since
                      AND ((queue_name = @queue AND entered_at < @requestedAt) OR call_sid = @requester)
                    """, new { queue, requester = next.CallSid, requestedAt = next.RequestedAt, since = now - (long)WaitingAtMost.TotalMilliseconds }, tx, cancellationToken: ct));
                if (waiting > 0)
                {
                    return Outcome.NotItsTurn;
                }

                // The claim: of several operators (on any instance) only one finds the row still pending at this attempt.
                var claimed = await c.ExecuteAsync(new CommandDefinition("""
                    UPDATE callbacks SET status = 'dialing', attempts = attempts + 1, attempt_call_sid = @legCallSid, last_attempt_at = @now
                    WHERE id = @id AND status = 'pending' AND attempts = @attempts
                    """, new { legCallSid, now, id = next.Id, attempts = next.Attempts }, tx, cancellationToken: ct));
                return claimed == 1 ? Outcome.Claimed : Outcome.Lost;
            }, ct);

            switch (outcome)
            {
                case Outcome.Claimed:
                    return new ClaimedCallback { Id = next.Id, Number = next.Number, RequestedAt = next.RequestedAt, Attempt = (int)next.Attempts + 1 };
                case Outcome.NotItsTurn:
                    return null;
            }
        }

        return null;
    }

    private enum Outcome
    {
        Claimed,
        Lost,
        Cancelled,
        NotItsTurn,
    }

    private sealed record Candidate
    {
        public long Id { get; init; }
        public string CallSid { get; init; } = "";
        public string Number { get; init; } = "";
        public long RequestedAt { get; init; }
        public long CreatedAt { get; init; }
        public long Attempts { get; init; }
    }
}
