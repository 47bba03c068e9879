using System.CommandLine;
using MiniCC.Reports;
using MiniCC.Storage;

namespace MiniCC.Cli;

internal static class MigrateCommand
{
    public static Command Create(CliContext cli)
    {
        var migrate = new Command("migrate", "Create the database or upgrade its schema to this version, and roll up the history not rolled up yet (safe to run again).");
        migrate.SetAction((_, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            // WithServicesAsync has migrated already; report where the schema stands. Schema 9 marks every hour of the
            // history it finds for rolling up, and rollups counted with other thresholds than the settings' are marked
            // again: roll them up now rather than in the server's background.
            var db = services.GetRequiredService<Database>();
            var version = await services.GetRequiredService<Migrator>().CurrentVersionAsync(token);
            var thresholds = RollupsCommand.Thresholds(services);
            await Rollups.MarkOtherThresholdsAsync(db, thresholds, token);
            var hours = await Rollups.RefreshAllAsync(db, thresholds, RollupsCommand.Progress(cli), token);
            if (hours > 0)
            {
                cli.Error.WriteLine();
            }

            return cli.Ok($"{db.Settings.Describe()}: schema version {version} (up to date)" + (hours > 0 ? $"; rolled up {hours} hours of history." : "."));
        }, ct));
        return migrate;
    }
}
