using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

namespace MiniCC.Storage;

/// <summary>
/// Tells a failure of one event (its data can never be stored: set it aside) from a failure of the
/// database (it is away, locked or slow: keep the event and try again later).
/// </summary>
public static class DatabaseErrors
{
    // MySQL/MariaDB: column cannot be null, out of range, data truncated, incorrect value/string, data too long.
    private static readonly HashSet<int> MySqlDataErrors = [1048, 1264, 1265, 1292, 1366, 1367, 1406];

    /// <summary>True when retrying <paramref name="ex"/> with the same event can never succeed.</summary>
    public static bool IsPermanent(Exception ex) => ex switch
    {
        OperationCanceledException or TimeoutException => false,
        InvalidDataException or System.Text.Json.JsonException or ArgumentException or FormatException or OverflowException
            or InvalidCastException or NullReferenceException or KeyNotFoundException => true,
        MySqlException m => MySqlDataErrors.Contains(m.Number),
        // Class 22 is "data exception", 23 "integrity constraint violation", 54000 "program limit exceeded".
        PostgresException p => p.SqlState.StartsWith("22", StringComparison.Ordinal) || p.SqlState.StartsWith("23", StringComparison.Ordinal)
                               || p.SqlState == "54000",
        // SQLITE_TOOBIG, SQLITE_CONSTRAINT, SQLITE_MISMATCH, SQLITE_RANGE.
        SqliteException s => s.SqliteErrorCode is 18 or 19 or 20 or 25,
        _ => ex.InnerException is { } inner && IsPermanent(inner),
    };

    /// <summary>
    /// True when the database gave up <paramref name="ex"/>'s transaction for another's sake (a deadlock, a
    /// serialization failure): the same transaction, run again at once, normally succeeds.
    /// </summary>
    public static bool IsConflict(Exception ex) => ex switch
    {
        PostgresException p => p.SqlState is "40P01" or "40001",
        MySqlException m => m.Number is 1213,
        _ => ex.InnerException is { } inner && IsConflict(inner),
    };
}
