using System.CommandLine;
using MiniCC.Storage;

namespace MiniCC.Cli;

internal static class ImportLegacyCommand
{
    public static Command Create(CliContext cli)
    {
        var from = new Option<string>("--from")
        {
            Description = "MySQL connection string of the original Twilio-MiniCC database, e.g. \"Server=old-host;Database=minicc;User ID=…;Password=…\".",
            Required = true,
        };
        var zone = new Option<string?>("--time-zone")
        {
            Description = "Time zone the original stored its Time column in (its server's local time), e.g. Asia/Tokyo. Default: this machine's.",
        };
        var command = new Command("import-legacy",
            "Import an original Twilio-MiniCC database (operators and the three history tables) into MiniCC. Safe to run again: nothing is imported twice.")
        {
            from, zone,
        };
        command.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            TimeZoneInfo tz;
            try
            {
                tz = r.GetValue(zone) is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Local;
            }
            catch (TimeZoneNotFoundException)
            {
                await cli.Error.WriteLineAsync($"minicc: unknown time zone '{r.GetValue(zone)}' (use an IANA name such as Asia/Tokyo).");
                return 2;
            }

            IReadOnlyList<LegacyImporter.TableReport> reports;
            try
            {
                reports = await services.GetRequiredService<LegacyImporter>().ImportAsync(r.GetValue(from)!, tz, token);
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or ArgumentException or InvalidOperationException)
            {
                await cli.Error.WriteLineAsync($"minicc: cannot read the original database given by --from: {ex.Message}");
                return 1;
            }

            // Reports read what the rollups do not hold from the history, so they are right already; rolled up, they are fast.
            var db = services.GetRequiredService<Database>();
            var hours = await Reports.Rollups.RebuildAsync(db, RollupsCommand.Thresholds(services), RollupsCommand.Progress(cli), token);
            if (hours > 0)
            {
                cli.Error.WriteLine();
            }

            cli.Out.WriteLine($"Imported into {db.Settings.Describe()}; original times read as {tz.Id}; rolled up {hours} hours of history.");
            cli.Out.WriteLine($"{"TABLE",-20} {"READ",6} {"IMPORTED",9} {"ALREADY",8} {"UNMAPPABLE",11}");
            foreach (var t in reports)
            {
                cli.Out.WriteLine($"{t.Table,-20} {t.Read,6} {t.Imported,9} {t.AlreadyPresent,8} {t.Unmappable.Count,11}");
            }

            foreach (var t in reports.Where(t => t.Unmappable.Count > 0))
            {
                cli.Out.WriteLine($"Not imported from {t.Table}:");
                foreach (var reason in t.Unmappable)
                {
                    cli.Out.WriteLine("  " + reason);
                }
            }

            return 0;
        }, ct));
        return command;
    }
}
