using Dapper;
using MiniCC.Storage;

namespace MiniCC.Security;

public sealed record User
{
    public long Id { get; init; }
    public required string Username { get; init; }
    public required string PasswordHash { get; init; }
    public long CreatedAt { get; init; }

    /// <summary>The operator this user is (who takes calls in the browser, at the desk); null: not an operator.</summary>
    public long? OperatorId { get; init; }
}

/// <summary>The people who may sign in to MiniCC's pages. Passwords are stored as salted PBKDF2 hashes only.</summary>
public sealed class UserStore(Database database, TimeProvider time)
{
    private const string Columns = "id AS Id, username AS Username, password_hash AS PasswordHash, created_at AS CreatedAt, operator_id AS OperatorId";

    public const int MinPasswordLength = 10;

    public static string? UsernameProblem(string? username) =>
        username is { Length: >= 1 and <= 100 } && username.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '@')
            ? null
            : "a user name is 1 to 100 letters, digits or . _ - @";

    public static string? PasswordProblem(string? password) =>
        password is { Length: >= MinPasswordLength and <= 200 } ? null : $"a password is {MinPasswordLength} to 200 characters";

    public Task<User?> FindAsync(string username, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users WHERE username = @username", new { username }, cancellationToken: ct)), ct);

    public Task<IReadOnlyList<User>> ListAsync(CancellationToken ct) =>
        database.ReadAsync<IReadOnlyList<User>>(async c => (await c.QueryAsync<User>(new CommandDefinition(
            $"SELECT {Columns} FROM users ORDER BY username", cancellationToken: ct))).AsList(), ct);

    public Task<long> CountAsync(CancellationToken ct) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM users", cancellationToken: ct)), ct);

    /// <summary>Adds a user; false when the name is taken.</summary>
    public Task<bool> AddAsync(string username, string password, CancellationToken ct)
    {
        var hash = SecretHasher.Hash(password);
        return database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(database.Dialect.InsertIgnore(
            "users (username, password_hash, created_at) VALUES (@username, @hash, @now)"),
            new { username, hash, now = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx, cancellationToken: ct)) == 1, ct);
    }

    public Task<bool> SetPasswordAsync(string username, string password, CancellationToken ct)
    {
        var hash = SecretHasher.Hash(password);
        return database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET password_hash = @hash WHERE username = @username", new { username, hash }, tx, cancellationToken: ct)) == 1, ct);
    }

    public Task<bool> RemoveAsync(string username, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
            "DELETE FROM users WHERE username = @username", new { username }, tx, cancellationToken: ct)) == 1, ct);

    /// <summary>Makes the user the operator <paramref name="operatorId"/> (null: no operator); false when there is no such user.</summary>
    public Task<bool> LinkOperatorAsync(string username, long? operatorId, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) => await c.ExecuteAsync(new CommandDefinition(
            "UPDATE users SET operator_id = @operatorId WHERE username = @username", new { username, operatorId }, tx, cancellationToken: ct)) == 1, ct);

    /// <summary>The user's operator when it is active, else null: who a signed-in user is at the desk, read fresh each time.</summary>
    public Task<Operators.Operator?> ActiveOperatorAsync(string username, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<Operators.Operator>(new CommandDefinition(
            "SELECT d.id AS Id, d.phone AS Phone, d.name AS Name, d.active AS Active, d.created_at AS CreatedAt FROM users u " +
            "JOIN operator_directory d ON d.id = u.operator_id WHERE u.username = @username AND d.active = 1",
            new { username }, cancellationToken: ct)), ct);

    /// <summary>The user, when the password is right. Unknown names cost the same time as wrong passwords.</summary>
    public async Task<User?> CheckAsync(string username, string password, CancellationToken ct)
    {
        var user = UsernameProblem(username) is null ? await FindAsync(username, ct) : null;
        var ok = SecretHasher.Verify(password, user?.PasswordHash ?? DummyHash);
        return ok && user is not null ? user : null;
    }

    private static readonly string DummyHash = SecretHasher.Hash("not-a-real-password-" + Guid.NewGuid());
}
