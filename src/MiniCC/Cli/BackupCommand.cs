using System.CommandLine;
using System.Globalization;
using MiniCC.Storage;
using MySqlConnector;
using Npgsql;

namespace MiniCC.Cli;

/// <summary><c>minicc backup &lt;file&gt;</c>: a consistent copy of the SQLite database while servers run on it.</summary>
internal static class BackupCommand
{
    public static Command Create(CliContext cli)
    {
        var file = new Argument<string>("file") { Description = "Where to write the copy (a new file; see --force)." };
        var force = new Option<bool>("--force") { Description = "Replace the file if it exists." };
        var command = new Command("backup", "Copy the SQLite database, consistently, while MiniCC runs (SQLite's online backup). MySQL/MariaDB and PostgreSQL: their own dump tools.")
        {
            file, force,
        };
        command.SetAction((r, ct) => RunAsync(cli, (database, token) => BackupAsync(cli, database, Path.GetFullPath(r.GetValue(file)!), r.GetValue(force), token), ct));
        return command;
    }

    private static async Task<int> BackupAsync(CliContext cli, string database, string destination, bool force, CancellationToken ct)
    {
        if (string.Equals(destination, database, StringComparison.Ordinal))
        {
            return cli.Fail($"{destination} is the database itself; write the backup to another file.");
        }

        if (File.Exists(destination) && !force)
        {
            return cli.Fail($"{destination} exists; choose a new file, or add --force to replace it.");
        }

        if (!Directory.Exists(Path.GetDirectoryName(destination)))
        {
            return cli.Fail($"the directory of {destination} does not exist.");
        }

        // Written beside its final name and renamed when complete and checked: the file never holds half a backup.
        var partial = $"{destination}.{Guid.NewGuid():N}.partial";
        try
        {
            var copy = await SqliteBackup.CopyAsync(database, partial, ct);
            File.Move(partial, destination, overwrite: force);
            return cli.Ok($"Backed up SQLite file {database} (schema version {copy.SchemaVersion}) to {destination}: {Size(copy.Bytes)}, {copy.Calls} calls, {copy.QueueVisits} queue visits.");
        }
        finally
        {
            foreach (var suffix in (string[])["", "-journal", "-wal", "-shm"])
            {
                File.Delete(partial + suffix);
            }
        }
    }

    /// <summary>Runs <paramref name="verb"/> on the configured SQLite file; for a server database, says which tool does it instead.</summary>
    internal static async Task<int> RunAsync(CliContext cli, Func<string, CancellationToken, Task<int>> verb, CancellationToken ct)
    {
        try
        {
            using var host = MiniCCCommands.BuildHost(cli);
            var settings = DatabaseSettings.From(host.Services.GetRequiredService<IConfiguration>());
            if (settings.Problem() is { } problem)
            {
                return cli.Fail("invalid settings: " + problem);
            }

            return ServerLock.SqliteFile(settings) is { } database
                ? await verb(database, ct)
                : cli.Fail(ServerTools(settings));
        }
        catch (BackupException ex)
        {
            return cli.Fail(ex.Message);
        }
        catch (Exception ex) when (MiniCCCommands.Explain(ex) is { } message)
        {
            return cli.Fail(message);
        }
    }

    /// <summary>What backs up and restores a server database: its own tools, which know its locks and its users.</summary>
    private static string ServerTools(DatabaseSettings settings)
    {
        switch (settings.Provider)
        {
            case DatabaseSettings.MySql:
                var m = new MySqlConnectionStringBuilder(settings.ConnectionString);
                var my = $"--host={m.Server} --port={m.Port} --user={m.UserID} -p {m.Database}";
                return $"backup and restore copy SQLite files; {settings.Describe()} is backed up with " +
                    $"'mariadb-dump --single-transaction --routines {my} > minicc.sql' (mysqldump on MySQL) " +
                    $"and restored, with MiniCC stopped, with 'mariadb {my} < minicc.sql'.";
            case DatabaseSettings.Postgres:
                var p = new NpgsqlConnectionStringBuilder(settings.ConnectionString);
                var pg = $"--host={p.Host} --port={p.Port} --username={p.Username}";
                return $"backup and restore copy SQLite files; {settings.Describe()} is backed up with " +
                    $"'pg_dump -Fc {pg} --file=minicc.dump {p.Database}' " +
                    $"and restored, with MiniCC stopped, with 'pg_restore --clean --if-exists {pg} --dbname={p.Database} minicc.dump'.";
            default:
                return $"{settings.Describe()} is no file to copy.";
        }
    }

    internal static string Size(long bytes) => bytes switch
    {
        < 1024 * 1024 => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0:0.#} KiB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes / 1024.0 / 1024.0:0.#} MiB"),
    };
}
