using Dapper;
using MiniCC.Storage;

namespace MiniCC.Operators;

public sealed record Operator
{
    public long Id { get; init; }
    public required string Phone { get; init; }
    public string? Name { get; init; }
    public bool Active { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>Salted hash of the operator's PIN; null when caller ID alone identifies them.</summary>
    public string? PinHash { get; init; }

    /// <summary>Until when (UTC Unix ms) the PIN is locked after too many wrong PINs; null or past when it is not.</summary>
    public long? PinLockedUntil { get; init; }
}

/// <summary>The operator directory: who, by caller ID, enters the operator loop.</summary>
public sealed class OperatorStore(Database database, TimeProvider time)
{
    private long _version;

    /// <summary>Goes up with every change made through this store, so this instance's lookup cache drops what it held.</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The active operators: the directory the lookup cache holds.</summary>
    public Task<IReadOnlyList<Operator>> ListActiveAsync(CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<Operator>>(async c => (await c.QueryAsync<Operator>(new CommandDefinition(
            $"SELECT {Columns} FROM operator_directory WHERE active = 1", cancellationToken: ct))).AsList(), ct);

    private async Task<bool> Changed(Task<bool> write)
    {
        try
        {
            return await write;
        }
        finally
        {
            Interlocked.Increment(ref _version);
        }
    }

    private const string Columns = "id AS Id, phone AS Phone, name AS Name, active AS Active, created_at AS CreatedAt, pin_hash AS PinHash, pin_locked_until AS PinLockedUntil";

    public Task<Operator?> FindActiveAsync(string phone, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Operator>(new CommandDefinition(
            $"SELECT {Columns} FROM operator_directory WHERE phone = @phone AND active = 1", new { phone }, cancellationToken: ct)), ct);

    /// <summary>The active operator <paramref name="id"/> (the desk names operators by id), read from the database now.</summary>
    public Task<Operator?> FindActiveByIdAsync(long id, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Operator>(new CommandDefinition(
            $"SELECT {Columns} FROM operator_directory WHERE id = @id AND active = 1", new { id }, cancellationToken: ct)), ct);

    public Task<Operator?> FindAsync(string phone, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Operator>(new CommandDefinition(
            $"SELECT {Columns} FROM operator_directory WHERE phone = @phone", new { phone }, cancellationToken: ct)), ct);

    /// <summary>
    /// The operator whose number is <paramref name="phone"/> (E.164, when it is a number) or whose name is
    /// <paramref name="nameOrPhone"/>; null when none is, or when the name is shared (then the number must be given).
    /// </summary>
    public async Task<Operator?> FindByPhoneOrNameAsync(string nameOrPhone, string? phone, CancellationToken ct)
    {
        var all = await ListAsync(ct);
        var byPhone = phone is null ? null : all.FirstOrDefault(o => o.Phone == phone);
        var byName = all.Where(o => string.Equals(o.Name, nameOrPhone, StringComparison.Ordinal)).ToList();
        return byPhone ?? (byName.Count == 1 ? byName[0] : null);
    }

    public Task<IReadOnlyList<Operator>> ListAsync(CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<Operator>>(async c => (await c.QueryAsync<Operator>(new CommandDefinition(
            $"SELECT {Columns} FROM operator_directory ORDER BY phone", cancellationToken: ct))).AsList(), ct);

    /// <summary>Adds an operator; false when the number is already registered.</summary>
    public Task<bool> AddAsync(string phone, string? name, CancellationToken ct) => AddAsync(phone, name, null, ct);

    /// <summary>Adds an operator with a PIN hash (or none); false when the number is already registered.</summary>
    public Task<bool> AddAsync(string phone, string? name, string? pinHash, CancellationToken ct) =>
        Changed(database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(database.Dialect.InsertIgnore(
            "operator_directory (phone, name, active, created_at, pin_hash) VALUES (@phone, @name, 1, @now, @pinHash)"),
            new { phone, name, now = time.GetUtcNow().ToUnixTimeMilliseconds(), pinHash }, tx, cancellationToken: ct)) == 1, ct));

    /// <summary>Sets (or, with null, clears) an operator's PIN hash; false when the number is not an operator.</summary>
    public Task<bool> SetPinAsync(string phone, string? pinHash, CancellationToken ct) =>
        Changed(database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE operator_directory SET pin_hash = @pinHash WHERE phone = @phone", new { phone, pinHash }, tx, cancellationToken: ct)) == 1, ct));

    /// <summary>Removes an operator; a user who was that operator is no operator any more (no desk).</summary>
    public Task<bool> RemoveAsync(string phone, CancellationToken ct) =>
        Changed(database.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(new CommandDefinition(
                "UPDATE users SET operator_id = NULL WHERE operator_id IN (SELECT id FROM operator_directory WHERE phone = @phone)",
                new { phone }, tx, cancellationToken: ct));
            return await c.ExecuteAsync(new CommandDefinition(
                "DELETE FROM operator_directory WHERE phone = @phone", new { phone }, tx, cancellationToken: ct)) == 1;
        }, ct));

    public Task<bool> SetActiveAsync(string phone, bool active, CancellationToken ct) =>
        Changed(database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE operator_directory SET active = @active WHERE phone = @phone", new { phone, active = active ? 1 : 0 }, tx, cancellationToken: ct)) == 1, ct));
}
