using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace MiniCC.Tests.Storage;

/// <summary>
/// Another process's lock on the event log, as a long migration, a backup tool or a stuck client would hold it:
/// writes to <c>call_events</c> wait until it is disposed.
/// </summary>
public sealed class DatabaseLock : IAsyncDisposable
{
    private readonly DbConnection _connection;

    private DatabaseLock(DbConnection connection) => _connection = connection;

    public static async Task<DatabaseLock> TakeAsync(string provider, string connectionString)
    {
        DbConnection connection = provider switch
        {
            // Not pooled: closing it must really end the transaction and free the lock.
            "sqlite" => new SqliteConnection(connectionString + ";Pooling=False"),
            "mysql" => new MySqlConnection(new MySqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString),
            _ => new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString),
        };
        await connection.OpenAsync();
        await using var cmd = connection.CreateCommand();
        cmd.CommandText = provider switch
        {
            "sqlite" => "BEGIN EXCLUSIVE",
            "mysql" => "LOCK TABLES call_events WRITE",
            _ => "BEGIN; LOCK TABLE call_events IN ACCESS EXCLUSIVE MODE",
        };
        await cmd.ExecuteNonQueryAsync();
        return new DatabaseLock(connection);
    }

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    /// <summary>SQLite's write lock, taken from outside MiniCC as a stuck or vanished database server would hold it.</summary>
    public static SqliteConnection HoldSqlite(string connectionString)
    {
        var blocker = new SqliteConnection(connectionString + ";Pooling=False");
        blocker.Open();
        using var cmd = blocker.CreateCommand();
        cmd.CommandText = "BEGIN EXCLUSIVE";
        cmd.ExecuteNonQuery();
        return blocker;
    }
}
