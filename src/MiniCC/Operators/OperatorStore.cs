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
}

/// <summary>The operator directory: who, by caller ID, enters the operator loop.</summary>
public sealed class OperatorStore(Database database, TimeProvider time)
{
    private const string Columns = "id AS Id, phone AS Phone, name AS Name, active AS Active, created_at AS CreatedAt";

    public Task<Operator?> FindActiveAsync(string phone, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Operator>(new CommandDefinition(
            $"SELECT {Columns} FROM operator_directory WHERE phone = @phone AND active = 1", new { phone }, cancellationToken: ct)), ct);

    public Task<Operator?> FindAsync(string phone, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Operator>(new CommandDefinition(
            $"SELECT {Columns} FROM operator_directory WHERE phone = @phone", new { phone }, cancellationToken: ct)), ct);

    public Task<IReadOnlyList<Operator>> ListAsync(CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<Operator>>(async c => (await c.QueryAsync<Operator>(new CommandDefinition(
            $"SELECT {Columns} FROM operator_directory ORDER BY phone", cancellationToken: ct))).AsList(), ct);

    /// <summary>Adds an operator; false when the number is already registered.</summary>
    public Task<bool> AddAsync(string phone, string? name, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(database.Dialect.InsertIgnore(
            "operator_directory (phone, name, active, created_at) VALUES (@phone, @name, 1, @now)"),
            new { phone, name, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx, cancellationToken: ct)) == 1, ct);

    public Task<bool> RemoveAsync(string phone, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM operator_directory WHERE phone = @phone", new { phone }, tx, cancellationToken: ct)) == 1, ct);

    public Task<bool> SetActiveAsync(string phone, bool active, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE operator_directory SET active = @active WHERE phone = @phone", new { phone, active = active ? 1 : 0 }, tx, cancellationToken: ct)) == 1, ct);
}
