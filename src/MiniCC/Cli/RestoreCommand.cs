using System.CommandLine;
using MiniCC.Storage;

namespace MiniCC.Cli;

/// <summary><c>minicc restore &lt;file&gt;</c>: a backup back in place of the SQLite database, while no server runs on it.</summary>
internal static class RestoreCommand
{
    public static Command Create(CliContext cli)
    {
        var file = new Argument<string>("file") { Description = "A backup made by minicc backup." };
        var command = new Command("restore", "Put a backup back in place of the SQLite database (stop the servers first); the previous file is kept as <database>.before-restore.")
        {
            file,
        };
        command.SetAction((r, ct) => BackupCommand.RunAsync(cli, async (database, token) =>
        {
            var existed = File.Exists(database);
            var restored = await SqliteRestore.RestoreAsync(Path.GetFullPath(r.GetValue(file)!), database, token);
            var kept = existed ? $" The previous database is kept as {database}.before-restore." : "";
            return cli.Ok($"Restored SQLite file {database} from {r.GetValue(file)} (schema version {restored.SchemaVersion}): " +
                $"{BackupCommand.Size(restored.Bytes)}, {restored.Calls} calls, {restored.QueueVisits} queue visits.{kept}");
        }, ct));
        return command;
    }
}
