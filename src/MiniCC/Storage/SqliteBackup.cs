using Dapper;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace MiniCC.Storage;

/// <summary>What a backup holds (or a file about to be restored).</summary>
internal sealed record BackupContents(int SchemaVersion, long Bytes, long Calls, long QueueVisits);

/// <summary>A problem with a backup or its source a person can fix; the message says which file and why.</summary>
internal sealed class BackupException(string message) : Exception(message);

/// <summary>
/// Copies a SQLite database while servers write to it, with SQLite's online backup API, and checks a copy.
/// </summary>
internal static class SqliteBackup
{
    /// <summary>Pages per backup step (4 MiB of 4 KiB pages): small enough to stop promptly when cancelled.</summary>
    private const int PagesPerStep = 1024;

    /// <summary>
    /// Copies <paramref name="source"/> into <paramref name="destination"/> (a new file, one self-contained file with no
    /// -wal beside it), checks the copy, and returns what it holds.
    /// </summary>
    public static async Task<BackupContents> CopyAsync(string source, string destination, CancellationToken ct)
    {
        if (!File.Exists(source))
        {
            throw new BackupException($"there is no database at {source} to back up.");
        }

        await using var from = await OpenAsync(source, SqliteOpenMode.ReadWrite, ct);
        try
        {
            await RequireMiniCCAsync(from, source, ct);
        }
        catch (SqliteException ex)
        {
            throw new BackupException($"{source} is not a readable SQLite database: {ex.Message}");
        }

        await using (var to = await OpenAsync(destination, SqliteOpenMode.ReadWriteCreate, ct))
        {
            var wal = string.Equals(await from.ExecuteScalarAsync<string>(new CommandDefinition("PRAGMA journal_mode", cancellationToken: ct)), "wal", StringComparison.OrdinalIgnoreCase);
            // In WAL mode a reader never blocks the server's writers, so the copy reads one snapshot, taken here and held
            // until the last step: the servers go on committing meanwhile (their checkpoints wait for the copy, so the WAL
            // grows by what they write during it). Without the held snapshot, a write by another process between two
            // steps would make SQLite start the copy again, which under steady load might never end.
            await using var snapshot = wal ? from.BeginTransaction(deferred: true) : null;
            if (snapshot is not null)
            {
                await from.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM schema_version", transaction: snapshot, cancellationToken: ct));
            }

            await StepAsync(to, from, wal, ct);
            if (snapshot is not null)
            {
                await snapshot.CommitAsync(ct);
            }

            // The copy is one file to move and keep; a server that opens it turns WAL on again.
            await to.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=DELETE", cancellationToken: ct));
        }

        return await InspectAsync(destination, ct);
    }

    /// <summary>Checks that <paramref name="file"/> is a sound MiniCC database this version can run, and says what it holds.</summary>
    public static async Task<BackupContents> InspectAsync(string file, CancellationToken ct, string? shownAs = null)
    {
        var name = shownAs ?? file;
        try
        {
            await using var c = await OpenAsync(file, SqliteOpenMode.ReadWrite, ct);
            await RequireMiniCCAsync(c, name, ct);
            var version = await c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT COALESCE(MAX(version), 0) FROM schema_version", cancellationToken: ct));
            var known = Migrator.Load(SqlDialect.Sqlite.Name).Max(m => m.Version);
            if (version > known)
            {
                throw new BackupException($"{name} has schema version {version}, made by a newer MiniCC; this one knows versions up to {known}.");
            }

            var problems = (await c.QueryAsync<string>(new CommandDefinition("PRAGMA integrity_check", cancellationToken: ct))).ToList();
            if (problems is not ["ok"])
            {
                throw new BackupException($"{name} fails SQLite's integrity check: {string.Join("; ", problems.Take(5))}");
            }

            var calls = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM calls", cancellationToken: ct));
            var visits = await c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM queue_visits", cancellationToken: ct));
            return new BackupContents(version, new FileInfo(file).Length, calls, visits);
        }
        catch (SqliteException ex)
        {
            throw new BackupException($"{name} is not a readable SQLite database: {ex.Message}");
        }
    }

    private static async Task StepAsync(SqliteConnection to, SqliteConnection from, bool wal, CancellationToken ct)
    {
        var backup = raw.sqlite3_backup_init(to.Handle, "main", from.Handle, "main")
            ?? throw new BackupException("SQLite could not start the backup: " + raw.sqlite3_errmsg(to.Handle).utf8_to_string());
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var rc = raw.sqlite3_backup_step(backup, PagesPerStep);
                if (rc == raw.SQLITE_DONE)
                {
                    return;
                }

                if (rc is raw.SQLITE_BUSY or raw.SQLITE_LOCKED)
                {
                    await Task.Delay(50, ct);
                }
                else if (rc != raw.SQLITE_OK)
                {
                    throw new BackupException($"SQLite's backup failed: {raw.sqlite3_errstr(rc).utf8_to_string()}");
                }
                else if (!wal)
                {
                    // Without WAL each step holds the file's read lock, which blocks writers: let them in between steps.
                    await Task.Delay(10, ct);
                }
            }
        }
        finally
        {
            raw.sqlite3_backup_finish(backup);
        }
    }

    /// <summary>A connection of its own (no pool: the file is moved or renamed right after).</summary>
    internal static async Task<SqliteConnection> OpenAsync(string file, SqliteOpenMode mode, CancellationToken ct)
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = file,
            Mode = mode,
            Pooling = false,
            DefaultTimeout = 5,
        }.ToString());
        await connection.OpenAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("PRAGMA busy_timeout=5000", cancellationToken: ct));
        return connection;
    }

    private static async Task RequireMiniCCAsync(SqliteConnection c, string file, CancellationToken ct)
    {
        var tables = await c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('schema_version', 'calls', 'queue_visits')", cancellationToken: ct));
        if (tables != 3)
        {
            throw new BackupException($"{file} is not a MiniCC database (it has no schema_version, calls and queue_visits tables).");
        }
    }
}
