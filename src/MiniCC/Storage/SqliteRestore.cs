using Dapper;
using Microsoft.Data.Sqlite;

namespace MiniCC.Storage;

/// <summary>Puts a backup in place of a SQLite database no server is running on, keeping the previous one beside it.</summary>
internal static class SqliteRestore
{
    private static readonly string[] Sidecars = ["-wal", "-shm"];

    /// <summary>
    /// Replaces <paramref name="database"/> with <paramref name="backup"/> and returns what it holds; the previous file
    /// (with its WAL, if any) becomes <c>&lt;database&gt;.before-restore</c>. Refused while a server holds the database's lock.
    /// </summary>
    public static async Task<BackupContents> RestoreAsync(string backup, string database, CancellationToken ct)
    {
        if (!File.Exists(backup))
        {
            throw new BackupException($"there is no backup at {backup}.");
        }

        Directory.CreateDirectory(Path.GetDirectoryName(database)!);
        // Held until the new file is in place, so no server starts on the old one, or on half of the new one.
        using var exclusive = ServerLock.TryTake(database + ".lock", exclusive: true)
            ?? throw new BackupException(
                $"a MiniCC server is running on {database} (it holds {database}.lock); stop it (e.g. systemctl stop minicc) and restore again.");

        // The copy is checked where it will live, so the rename below is the only step that changes the database.
        var incoming = database + ".restoring";
        DeleteWithSidecars(incoming);
        try
        {
            File.Copy(backup, incoming);
            var contents = await SqliteBackup.InspectAsync(incoming, ct, shownAs: backup);
            await using (var c = await SqliteBackup.OpenAsync(incoming, SqliteOpenMode.ReadWrite, ct))
            {
                await c.ExecuteAsync(new CommandDefinition("PRAGMA journal_mode=DELETE", cancellationToken: ct));
            }

            if (File.Exists(database))
            {
                await CheckpointAsync(database, ct);
                var kept = database + ".before-restore";
                DeleteWithSidecars(kept);
                // A WAL the checkpoint could not empty moves with its file: SQLite finds it by name, so nothing is lost,
                // and no old WAL is left to be replayed into the restored file.
                foreach (var suffix in (string[])["", .. Sidecars])
                {
                    if (File.Exists(database + suffix))
                    {
                        File.Move(database + suffix, kept + suffix);
                    }
                }
            }

            File.Move(incoming, database);
            return contents with { Bytes = new FileInfo(database).Length };
        }
        finally
        {
            DeleteWithSidecars(incoming);
        }
    }

    /// <summary>Folds the WAL into the file, so that the kept database is usually one file; a broken one is kept as it is.</summary>
    private static async Task CheckpointAsync(string database, CancellationToken ct)
    {
        try
        {
            await using var c = await SqliteBackup.OpenAsync(database, SqliteOpenMode.ReadWrite, ct);
            await c.ExecuteAsync(new CommandDefinition("PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken: ct));
        }
        catch (SqliteException)
        {
        }
    }

    private static void DeleteWithSidecars(string file)
    {
        foreach (var suffix in (string[])["", .. Sidecars])
        {
            File.Delete(file + suffix);
        }
    }
}
