using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace MiniCC.Tests;

/// <summary>
/// A fresh, empty database for one test, on any provider. SQLite always; MySQL/MariaDB and PostgreSQL
/// when MINICC_TEST_MYSQL / MINICC_TEST_POSTGRES hold a connection string (the test is skipped, with the
/// reason, when the variable is not set; it fails when the variable is set and the server is unreachable).
/// </summary>
public sealed class TestDatabase : IDisposable
{
    public const string MySqlVariable = "MINICC_TEST_MYSQL";
    public const string PostgresVariable = "MINICC_TEST_POSTGRES";

    private readonly string? _adminConnectionString;
    private readonly string? _name;

    private TestDatabase(string provider, string connectionString, string? adminConnectionString = null, string? name = null)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
        _name = name;
    }

    public string Provider { get; }

    public string ConnectionString { get; }

    /// <summary>The SQLite file, for tests that look at it directly.</summary>
    public string? SqlitePath { get; private init; }

    public static TestDatabase Create(string provider)
    {
        var name = "minicc_t_" + Guid.NewGuid().ToString("N")[..16];
        switch (provider)
        {
            case "sqlite":
                var path = Path.Combine(Path.GetTempPath(), name + ".db");
                return new TestDatabase(provider, $"Data Source={path}") { SqlitePath = path };
            case "mysql":
            {
                var admin = Variable(MySqlVariable);
                Exec(new MySqlConnection(admin), $"CREATE DATABASE {name} CHARACTER SET utf8mb4");
                var b = new MySqlConnectionStringBuilder(admin) { Database = name };
                return new TestDatabase(provider, b.ConnectionString, admin, name);
            }

            case "postgres":
            {
                var admin = Variable(PostgresVariable);
                Exec(new NpgsqlConnection(admin), $"CREATE DATABASE {name}");
                var b = new NpgsqlConnectionStringBuilder(admin) { Database = name };
                return new TestDatabase(provider, b.ConnectionString, admin, name);
            }

            default:
                throw new ArgumentOutOfRangeException(nameof(provider), provider, null);
        }
    }

    private static string Variable(string name)
    {
        var value = Environment.GetEnvironmentVariable(name);
        Skip.If(string.IsNullOrWhiteSpace(value), $"{name} is not set: no server to test against (see README, Tests).");
        return value!;
    }

    private static void Exec(System.Data.Common.DbConnection connection, string sql)
    {
        using (connection)
        {
            connection.Open();
            connection.Execute(sql);
        }
    }

    public void Dispose()
    {
        switch (Provider)
        {
            case "sqlite":
                SqliteConnection.ClearAllPools();
                foreach (var suffix in new[] { "", "-wal", "-shm", ".lock" })
                {
                    try
                    {
                        File.Delete(SqlitePath + suffix);
                    }
                    catch (IOException)
                    {
                    }
                }

                break;
            case "mysql":
                MySqlConnection.ClearAllPools();
                Exec(new MySqlConnection(_adminConnectionString), $"DROP DATABASE IF EXISTS {_name}");
                break;
            case "postgres":
                NpgsqlConnection.ClearAllPools();
                // An autovacuum worker on the database can make the forced drop fail (42501) on a server whose test role may
                // not end it: it is done in a moment, so try again.
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        Exec(new NpgsqlConnection(_adminConnectionString), $"DROP DATABASE IF EXISTS {_name} WITH (FORCE)");
                        break;
                    }
                    catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
                    {
                        Thread.Sleep(250);
                    }
                }

                break;
        }
    }
}
