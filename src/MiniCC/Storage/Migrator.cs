using System.Data.Common;
using System.Reflection;
using Dapper;

namespace MiniCC.Storage;

/// <summary>
/// Applies the numbered SQL scripts of the database's dialect (<c>Storage/Migrations/{dialect}/NNNN_name.sql</c>)
/// that are not yet recorded in <c>schema_version</c>, each in its own transaction, in order.
/// </summary>
public sealed class Migrator(Database database, TimeProvider time)
{
    public sealed record Migration(int Version, string Name, string Sql);

    public sealed record Applied(int Version, string Name);

    public static IReadOnlyList<Migration> Load(string dialect)
    {
        var assembly = typeof(Migrator).Assembly;
        var prefix = $"migrations/{dialect}/";
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(prefix, StringComparison.Ordinal) && n.EndsWith(".sql", StringComparison.Ordinal))
            .Select(n =>
            {
                var file = n[prefix.Length..^4];
                var version = int.Parse(file.AsSpan(0, file.IndexOf('_', StringComparison.Ordinal)), System.Globalization.CultureInfo.InvariantCulture);
                return new Migration(version, file, Read(assembly, n));
            })
            .OrderBy(m => m.Version)
            .ToList();
    }

    /// <summary>Brings the schema up to date; returns the migrations applied now (none when current).</summary>
    public async Task<IReadOnlyList<Applied>> MigrateAsync(CancellationToken ct, int upToVersion = int.MaxValue)
    {
        var migrations = Load(database.Dialect.Name).Where(m => m.Version <= upToVersion).ToList();
        var applied = new List<Applied>();
        // Several instances may start at once on one server database: one migrates, the others wait.
        // The lock comes first: even CREATE TABLE IF NOT EXISTS races between instances on PostgreSQL.
        await using var lockConnection = await database.OpenAsync(ct);
        if (database.Dialect.MigrationLock is { } take)
        {
            await lockConnection.ExecuteAsync(new CommandDefinition(take, cancellationToken: ct));
        }

        await lockConnection.ExecuteAsync(new CommandDefinition(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, name VARCHAR(200) NOT NULL, applied_at BIGINT NOT NULL)",
            cancellationToken: ct));
        if (database.Dialect == SqlDialect.Sqlite)
        {
            // WAL lets readers (reports) run while the single writer records calls.
            await lockConnection.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=WAL", cancellationToken: ct));
        }

        foreach (var migration in migrations)
        {
            var done = await database.WriteAsync(async (c, tx) =>
            {
                var exists = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM schema_version WHERE version = @v", new { v = migration.Version }, tx, cancellationToken: ct));
                if (exists > 0)
                {
                    return false;
                }

                await c.ExecuteAsync(new CommandDefinition(migration.Sql, transaction: tx, cancellationToken: ct));
                await c.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO schema_version (version, name, applied_at) VALUES (@v, @n, @t)",
                    new { v = migration.Version, n = migration.Name, t = time.GetUtcNow().ToUnixTimeMilliseconds() }, tx, cancellationToken: ct));
                return true;
            }, ct);
            if (done)
            {
                applied.Add(new Applied(migration.Version, migration.Name));
            }
        }

        if (database.Dialect.MigrationUnlock is { } release)
        {
            await lockConnection.ExecuteAsync(new CommandDefinition(release, cancellationToken: ct));
        }

        return applied;
    }

    public async Task<int> CurrentVersionAsync(CancellationToken ct) =>
        await database.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition(
            "SELECT COALESCE(MAX(version), 0) FROM schema_version", cancellationToken: ct)), ct);

    private static string Read(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}

/// <summary>Runs the migrations when the web host starts, before it takes requests.</summary>
internal sealed class MigrateOnStart(Migrator migrator, Database database, ILogger<MigrateOnStart> log) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var applied = await migrator.MigrateOrExplainAsync(database, cancellationToken);
        foreach (var m in applied)
        {
            Log.Applied(log, m.Name, database.Settings.Describe());
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Migration} to {Database}")]
    public static partial void Applied(ILogger logger, string migration, string database);
}
