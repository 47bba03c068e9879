using System.CommandLine;
using MiniCC.Storage;

namespace MiniCC.Cli;

internal static class MigrateCommand
{
    public static Command Create()
    {
        var migrate = new Command("migrate", "Create the database or upgrade its schema to this version (safe to run again).");
        migrate.SetAction((_, ct) => MiniCCCommands.WithServicesAsync(async (services, token) =>
        {
            // WithServicesAsync has migrated already; report where the schema stands.
            var db = services.GetRequiredService<Database>();
            var version = await services.GetRequiredService<Migrator>().CurrentVersionAsync(token);
            Console.WriteLine($"{db.Settings.Describe()}: schema version {version} (up to date).");
            return 0;
        }, ct));
        return migrate;
    }
}
