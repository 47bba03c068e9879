using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Storage;
using MiniCC.Voice;

namespace MiniCC.Operators;

/// <summary>
/// Wrong PINs counted across calls: <c>MiniCC:PinLockout:MaxFailures</c> within <c>WindowMinutes</c> lock the
/// operator's PIN for <c>LockMinutes</c>. The count and the lock live in the database (table
/// <c>operator_pin_failures</c>, column <c>operator_directory.pin_locked_until</c>), so every instance sees them.
/// </summary>
public sealed class PinLockout(Database database, TimeProvider time, IOptions<VoiceOptions> options, IOptions<StorageOptions> storage)
{
    private PinLockoutOptions O => options.Value.PinLockout;

    /// <summary>When the operator's PIN is locked now, until when; otherwise null.</summary>
    public DateTimeOffset? LockedUntil(Operator op)
    {
        ArgumentNullException.ThrowIfNull(op);
        return op.PinLockedUntil is { } until && until > time.GetUtcNow().ToUnixTimeMilliseconds()
            ? DateTimeOffset.FromUnixTimeMilliseconds(until)
            : null;
    }

    /// <summary>
    /// Counts a wrong PIN (a replayed webhook, same call and attempt, counts once). Returns when the PIN is now
    /// locked until, if this failure locked it; null otherwise. Throws when the database cannot be written within
    /// <c>MiniCC:WriteTimeoutSeconds</c> (the PIN webhook waits for it).
    /// </summary>
    public Task<DateTimeOffset?> FailedAsync(Operator op, string callSid, int attempt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(op);
        var now = time.GetUtcNow();
        var cutoff = now.AddMinutes(-O.WindowMinutes).ToUnixTimeMilliseconds();
        // The PIN webhook waits for this: within the write bound (the per-call limit still holds without it).
        return Bounded.RunAsync(token => database.WriteAsync<DateTimeOffset?>(async (c, tx) =>
        {
            // A no-op update takes the operator's row lock first: two instances counting at once for one
            // operator queue here, so neither misses the other's failure when deciding to lock.
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE operator_directory SET pin_locked_until = pin_locked_until WHERE id = @id", new { id = op.Id }, tx, cancellationToken: token));
            await c.ExecuteAsync(new CommandDefinition(database.Dialect.InsertIgnore(
                "operator_pin_failures (operator_id, call_sid, attempt, failed_at) VALUES (@id, @callSid, @attempt, @at)"),
                new { id = op.Id, callSid, attempt, at = now.ToUnixTimeMilliseconds() }, tx, cancellationToken: token));
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM operator_pin_failures WHERE operator_id = @id AND failed_at <= @cutoff", new { id = op.Id, cutoff }, tx, cancellationToken: token));
            var failures = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM operator_pin_failures WHERE operator_id = @id", new { id = op.Id }, tx, cancellationToken: token));
            if (failures < O.MaxFailures)
            {
                return null;
            }

            // Locked: the failures are spent, so the count starts afresh when the lock ends.
            var until = now.AddMinutes(O.LockMinutes);
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE operator_directory SET pin_locked_until = @until WHERE id = @id",
                new { id = op.Id, until = until.ToUnixTimeMilliseconds() }, tx, cancellationToken: token));
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM operator_pin_failures WHERE operator_id = @id", new { id = op.Id }, tx, cancellationToken: token));
            return until;
        }, token), storage.Value.WriteTimeout, ct);
    }

    /// <summary>The right PIN: earlier wrong ones no longer count (the limit is on failures in a row).</summary>
    public Task SucceededAsync(Operator op, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(op);
        return Bounded.RunAsync(token => database.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM operator_pin_failures WHERE operator_id = @id", new { id = op.Id }, tx, cancellationToken: token)), token),
            storage.Value.WriteTimeout, ct);
    }

    /// <summary>Ends a lock and forgets the failures (<c>minicc operators unlock</c>); false when the number is not an operator.</summary>
    public Task<bool> UnlockAsync(string phone, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM operator_pin_failures WHERE operator_id IN (SELECT id FROM operator_directory WHERE phone = @phone)",
                new { phone }, tx, cancellationToken: ct));
            return await c.ExecuteAsync(new CommandDefinition(
                "UPDATE operator_directory SET pin_locked_until = NULL WHERE phone = @phone", new { phone }, tx, cancellationToken: ct)) == 1;
        }, ct);
}
