using Microsoft.Data.Sqlite;

namespace MiniCC.Storage;

/// <summary>
/// A running server's claim on its SQLite file, so that <c>minicc restore</c> never swaps the file under it: every
/// server holds a shared lock on <c>&lt;database&gt;.lock</c> from start until its process ends, and a restore needs the
/// lock exclusively. The operating system holds the lock for the open handle (flock on Linux, a share mode on
/// Windows) and drops it when the process ends in any way, kill -9 and crashes included, so there is no stale lock
/// to clean up, no pid to check, and no gap while a pooled connection happens to be closed (which makes SQLite's
/// own -shm and file locks no sign of a server). Several servers on one file share the lock; a server that starts
/// during a restore is refused.
/// </summary>
internal sealed class ServerLock(Database database) : IHostedService, IDisposable
{
    private FileStream? _held;

    /// <summary>The lock file of a SQLite file database, or null (a server database, SQLite in memory).</summary>
    public static string? PathOf(DatabaseSettings settings) => SqliteFile(settings) is { } file ? file + ".lock" : null;

    /// <summary>The full path of a SQLite file database, or null.</summary>
    public static string? SqliteFile(DatabaseSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Provider != DatabaseSettings.Sqlite)
        {
            return null;
        }

        var b = new SqliteConnectionStringBuilder(settings.ConnectionString);
        return b.DataSource is "" or ":memory:" || b.Mode == SqliteOpenMode.Memory ? null : Path.GetFullPath(b.DataSource);
    }

    /// <summary>Takes the lock, shared (a server) or exclusive (a restore); null when someone holds it the other way.</summary>
    public static FileStream? TryTake(string lockFile, bool exclusive)
    {
        try
        {
            // .NET locks what it opens: FileShare.None takes flock(LOCK_EX), any other share with read access LOCK_SH.
            return exclusive
                ? new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None)
                : new FileStream(lockFile, FileMode.OpenOrCreate, FileAccess.Read, FileShare.ReadWrite);
        }
        catch (IOException ex) when (ex is not (FileNotFoundException or DirectoryNotFoundException or PathTooLongException))
        {
            return null;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        // A directory that does not exist is the migration's to report, naming the setting.
        if (PathOf(database.Settings) is { } lockFile && Directory.Exists(Path.GetDirectoryName(lockFile)))
        {
            try
            {
                _held = TryTake(lockFile, exclusive: false);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw new StartupException($"Cannot create {lockFile} beside the database set by {DatabaseSettings.ConnectionStringKey}: {ex.Message}", ex);
            }

            if (_held is null)
            {
                throw new StartupException(
                    $"A restore (minicc restore) is replacing {database.Settings.Describe()} ({lockFile} is held); start the server when it has finished.");
            }
        }

        return Task.CompletedTask;
    }

    // Held until the process, or this host, is disposed: the writer's last flush happens while it is still held.
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _held?.Dispose();
}
