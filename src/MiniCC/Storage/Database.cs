using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace MiniCC.Storage;

/// <summary>Where the history lives: <c>Database:Provider</c> and <c>ConnectionStrings:MiniCC</c>.</summary>
public sealed record DatabaseSettings(string Provider, string ConnectionString)
{
    public const string ProviderKey = "Database:Provider";
    public const string ConnectionStringKey = "ConnectionStrings:MiniCC";
    public const string DefaultConnectionString = "Data Source=minicc.db";
    public const string Sqlite = "sqlite";
    public const string MySql = "mysql";
    public const string Postgres = "postgres";

    public static readonly IReadOnlyList<string> Providers = [Sqlite, MySql, Postgres];

    public static DatabaseSettings From(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var provider = (configuration[ProviderKey] ?? Sqlite).Trim().ToLowerInvariant();
        provider = provider switch
        {
            "mariadb" => MySql,
            "postgresql" or "npgsql" => Postgres,
            _ => provider,
        };
        var cs = configuration.GetConnectionString("MiniCC");
        return new DatabaseSettings(provider, string.IsNullOrWhiteSpace(cs) && provider == Sqlite ? DefaultConnectionString : cs ?? "");
    }

    /// <summary>
    /// These settings with a relative SQLite file placed in <paramref name="dataDirectory"/> (which the person reading
    /// the banner then sees whole); an in-memory database, a server's connection string and a broken one (which
    /// <see cref="Problem"/> names) are as they were.
    /// </summary>
    public DatabaseSettings InDirectory(string dataDirectory)
    {
        if (Provider != Sqlite || Problem() is not null)
        {
            return this;
        }

        var b = new SqliteConnectionStringBuilder(ConnectionString);
        if (b.DataSource == ":memory:" || b.Mode == SqliteOpenMode.Memory || Path.IsPathRooted(b.DataSource)
            || b.DataSource.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return this;
        }

        b.DataSource = Path.GetFullPath(b.DataSource, dataDirectory);
        return this with { ConnectionString = b.ConnectionString };
    }

    /// <summary>Checks the settings; the message names the setting to fix (and never repeats a password).</summary>
    public string? Problem()
    {
        if (!Providers.Contains(Provider))
        {
            return $"{ProviderKey} is '{Provider}'; use one of {string.Join(", ", Providers)}.";
        }

        if (string.IsNullOrWhiteSpace(ConnectionString))
        {
            return $"{ConnectionStringKey} is empty; {Provider} needs a connection string, e.g. " + Provider switch
            {
                MySql => "\"Server=127.0.0.1;Port=3306;Database=minicc;User ID=minicc;Password=…\".",
                _ => "\"Host=127.0.0.1;Port=5432;Database=minicc;Username=minicc;Password=…\".",
            };
        }

        try
        {
            switch (Provider)
            {
                case Sqlite:
                    if (string.IsNullOrWhiteSpace(new SqliteConnectionStringBuilder(ConnectionString).DataSource))
                    {
                        return $"{ConnectionStringKey} has no Data Source (e.g. \"Data Source=minicc.db\").";
                    }

                    break;
                case MySql:
                    var m = new MySqlConnectionStringBuilder(ConnectionString);
                    if (string.IsNullOrEmpty(m.Database))
                    {
                        return $"{ConnectionStringKey} names no database (add Database=minicc).";
                    }

                    break;
                default:
                    var p = new NpgsqlConnectionStringBuilder(ConnectionString);
                    if (string.IsNullOrEmpty(p.Database))
                    {
                        return $"{ConnectionStringKey} names no database (add Database=minicc).";
                    }

                    break;
            }
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException)
        {
            return $"{ConnectionStringKey} is not a valid {Provider} connection string: {ex.Message}";
        }

        return null;
    }

    /// <summary>Where the data is, for people. Never includes a password.</summary>
    public string Describe()
    {
        switch (Provider)
        {
            case MySql:
                var m = new MySqlConnectionStringBuilder(ConnectionString);
                return $"MySQL/MariaDB database '{m.Database}' on {m.Server}:{m.Port} as '{m.UserID}'";
            case Postgres:
                var p = new NpgsqlConnectionStringBuilder(ConnectionString);
                return $"PostgreSQL database '{p.Database}' on {p.Host}:{p.Port} as '{p.Username}'";
            default:
                var b = new SqliteConnectionStringBuilder(ConnectionString);
                return b.DataSource == ":memory:" || b.Mode == SqliteOpenMode.Memory
                    ? $"SQLite in memory ({b.DataSource})"
                    : $"SQLite file {Path.GetFullPath(b.DataSource)}";
        }
    }
}

/// <summary>
/// Opens connections and runs units of work. SQLite allows one writer at a time, and concurrent writers
/// on one file ruin tail latency, so there every write transaction goes through one gate; server
/// databases take concurrent writers (and several MiniCC instances) as they are.
/// </summary>
public sealed class Database : IDisposable
{
    private readonly SemaphoreSlim? _writeGate;
    private readonly Func<DbConnection> _create;
    private readonly NpgsqlDataSource? _npgsql;
    private readonly int _sqliteBusyMs;

    public Database(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Settings = settings;
        switch (settings.Provider)
        {
            case DatabaseSettings.MySql:
                var m = new MySqlConnectionStringBuilder(settings.ConnectionString);
                if (!settings.ConnectionString.Contains("Connection Timeout", StringComparison.OrdinalIgnoreCase) &&
                    !settings.ConnectionString.Contains("Connect Timeout", StringComparison.OrdinalIgnoreCase))
                {
                    m.ConnectionTimeout = 5;
                }

                if (!settings.ConnectionString.Contains("Command Timeout", StringComparison.OrdinalIgnoreCase) &&
                    !settings.ConnectionString.Contains("Default Command Timeout", StringComparison.OrdinalIgnoreCase))
                {
                    m.DefaultCommandTimeout = 10;
                }

                var mysql = m.ConnectionString;
                _create = () => new MySqlConnection(mysql);
                Dialect = SqlDialect.MySql;
                break;
            case DatabaseSettings.Postgres:
                var p = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
                if (!settings.ConnectionString.Contains("Timeout", StringComparison.OrdinalIgnoreCase))
                {
                    p.Timeout = 5;
                    p.CommandTimeout = 10;
                }

                _npgsql = NpgsqlDataSource.Create(p.ConnectionString);
                _create = () => _npgsql.CreateConnection();
                Dialect = SqlDialect.Postgres;
                break;
            default:
                var b = new SqliteConnectionStringBuilder(settings.ConnectionString);
                if (!b.ContainsKey("Default Timeout"))
                {
                    b.DefaultTimeout = 5;
                }

                b.Pooling = true;
                _sqliteBusyMs = b.DefaultTimeout * 1000;
                var sqlite = b.ToString();
                _create = () => new SqliteConnection(sqlite);
                _writeGate = new SemaphoreSlim(1, 1);
                Dialect = SqlDialect.Sqlite;
                break;
        }
    }

    public DatabaseSettings Settings { get; }

    public SqlDialect Dialect { get; }

    public async Task<DbConnection> OpenAsync(CancellationToken ct)
    {
        var connection = _create();
        try
        {
            await connection.OpenAsync(ct);
            if (Dialect == SqlDialect.Sqlite)
            {
                using var pragma = connection.CreateCommand();
                pragma.CommandText = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={_sqliteBusyMs};";
                await pragma.ExecuteNonQueryAsync(ct);
            }

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

    /// <summary>Runs <paramref name="work"/> in one transaction (alone among writers on SQLite).</summary>
    public Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, CancellationToken ct) =>
        WriteAsync(work, System.Data.IsolationLevel.Unspecified, ct);

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction of <paramref name="isolation"/> (the database's default when
    /// unspecified; SQLite's is serializable whatever is asked).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<DbConnection, DbTransaction, Task<T>> work, System.Data.IsolationLevel isolation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        await using var connection = await OpenAsync(ct);
        return await WriteAsync(connection, tx => work(connection, tx), isolation, ct);
    }

    /// <summary>Runs <paramref name="work"/> in one transaction on an open connection (alone among writers on SQLite).</summary>
    public Task<T> WriteAsync<T>(DbConnection connection, Func<DbTransaction, Task<T>> work, CancellationToken ct) =>
        WriteAsync(connection, work, System.Data.IsolationLevel.Unspecified, ct);

    private async Task<T> WriteAsync<T>(DbConnection connection, Func<DbTransaction, Task<T>> work, System.Data.IsolationLevel isolation, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(work);
        if (_writeGate is not null)
        {
            await _writeGate.WaitAsync(ct);
        }

        try
        {
            await using var tx = Dialect == SqlDialect.Sqlite || isolation == System.Data.IsolationLevel.Unspecified
                ? await connection.BeginTransactionAsync(ct)
                : await connection.BeginTransactionAsync(isolation, ct);
            var result = await work(tx);
            await tx.CommitAsync(ct);
            return result;
        }
        finally
        {
            _writeGate?.Release();
        }
    }

    public void Dispose()
    {
        _writeGate?.Dispose();
        _npgsql?.Dispose();
    }
}

/// <summary>The few places where SQL differs between databases.</summary>
public sealed record SqlDialect(
    string Name, string InsertIgnorePrefix, string InsertIgnoreSuffix, string IntDivOperator,
    string? MigrationLock, string? MigrationUnlock)
{
    public static readonly SqlDialect Sqlite = new(DatabaseSettings.Sqlite, "INSERT INTO", "ON CONFLICT DO NOTHING", "/", null, null);

    public static readonly SqlDialect MySql = new(DatabaseSettings.MySql, "INSERT IGNORE INTO", "", "DIV",
        "SELECT GET_LOCK('minicc_migrations', 120)", "SELECT RELEASE_LOCK('minicc_migrations')");

    public static readonly SqlDialect Postgres = new(DatabaseSettings.Postgres, "INSERT INTO", "ON CONFLICT DO NOTHING", "/",
        "SELECT pg_advisory_lock(727274)", "SELECT pg_advisory_unlock(727274)");

    /// <summary>An INSERT that silently skips rows violating a unique key.</summary>
    public string InsertIgnore(string intoAndValues) => $"{InsertIgnorePrefix} {intoAndValues} {InsertIgnoreSuffix}";

    /// <summary>Integer division of two integer expressions (MySQL's <c>/</c> gives a decimal).</summary>
    public string IntDiv(string a, string b) => $"({a}) {IntDivOperator} ({b})";

    /// <summary>What an INSERT does instead when a row with the same <paramref name="key"/> exists: <paramref name="set"/>.</summary>
    public string OnConflictUpdate(string key, string set) =>
        Name == DatabaseSettings.MySql ? $"ON DUPLICATE KEY UPDATE {set}" : $"ON CONFLICT ({key}) DO UPDATE SET {set}";

    /// <summary>
    /// <paramref name="column"/> is one of the list <paramref name="parameter"/> (Dapper expands a list after IN;
    /// Npgsql sends it as one array).
    /// </summary>
    public string In(string column, string parameter) =>
        Name == DatabaseSettings.Postgres ? $"{column} = ANY({parameter})" : $"{column} IN {parameter}";

    /// <summary>Locks the rows a SELECT reads until the transaction ends (SQLite's write transaction holds the whole database already).</summary>
    public string ForUpdate => Name == DatabaseSettings.Sqlite ? "" : "FOR UPDATE";
}
