using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace MiniCC.Storage;

/// <summary>Where the history lives: <c>Database:Provider</c> and <c>ConnectionStrings:MiniCC</c>.</summary>
public sealed record DatabaseSettings(string Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:MiniCC";
    public const string DefaultConnectionString = "Data Source=minicc.db";

    public static DatabaseSettings From(IConfiguration configuration)
    {
        var provider = (configuration[ProviderKey] ?? "sqlite").Trim().ToLowerInvariant();
        var cs = configuration.GetConnectionString("MiniCC");
        return new DatabaseSettings(provider, string.IsNullOrWhiteSpace(cs) ? DefaultConnectionString : cs);
    }

    /// <summary>Checks the settings; the message names the setting to fix.</summary>
    public string? Problem()
    {
        if (Provider != "sqlite")
        {
            return $"{ProviderKey} is '{Provider}'; this version supports 'sqlite'.";
        }

        try
        {
            var b = new SqliteConnectionStringBuilder(ConnectionString);
            if (string.IsNullOrWhiteSpace(b.DataSource))
            {
                return $"{ConnectionStringKey} has no Data Source (e.g. \"Data Source=minicc.db\").";
            }
        }
        catch (ArgumentException ex)
        {
            return $"{ConnectionStringKey} is not a valid SQLite connection string: {ex.Message}";
        }

        return null;
    }

    /// <summary>Where the data is, for people (no secrets: SQLite strings have none but the path).</summary>
    public string Describe()
    {
        var b = new SqliteConnectionStringBuilder(ConnectionString);
        return b.DataSource == ":memory:" || b.Mode == SqliteOpenMode.Memory
            ? $"SQLite in memory ({b.DataSource})"
            : $"SQLite file {Path.GetFullPath(b.DataSource)}";
    }
}

/// <summary>
/// Opens connections and runs units of work. SQLite allows one writer at a time, and concurrent writers
/// on one file ruin tail latency, so every write transaction goes through one gate.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public Database(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        var b = new SqliteConnectionStringBuilder(settings.ConnectionString);
        if (!b.ContainsKey("Default Timeout"))
        {
            b.DefaultTimeout = 5;
        }

        b.Pooling = true;
        _connectionString = b.ToString();
        Dialect = SqlDialect.Sqlite;
    }

    public DatabaseSettings Settings { get; }

    public SqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            await connection.OpenAsync(ct);
            using var pragma = connection.CreateCommand();
            pragma.CommandText = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;";
            await pragma.ExecuteNonQueryAsync(ct);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    public async Task<T> ReadAsync<T>(Func<DbConnection, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(ct);
        return await work(connection);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction, alone among writers.</summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await _writeGate.WaitAsync(ct);
        try
        {
            await using var connection = await OpenAsync(ct);
            await using var tx = await connection.BeginTransactionAsync(ct);
            var result = await work(connection, tx);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Dispose() => _writeGate.Dispose();
}

/// <summary>The few places where SQL differs between databases.</summary>
public sealed record SqlDialect(string Name, string InsertIgnorePrefix, string InsertIgnoreSuffix)
{
    public static readonly SqlDialect Sqlite = new("sqlite", "INSERT INTO", "ON CONFLICT DO NOTHING");

    /// <summary>An INSERT that silently skips rows violating a unique key.</summary>
    public string InsertIgnore(string intoAndValues) => $"{InsertIgnorePrefix} {intoAndValues} {InsertIgnoreSuffix}";
}
