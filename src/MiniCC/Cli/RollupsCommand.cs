using System.CommandLine;
using Microsoft.Extensions.Options;
using MiniCC.Reports;
using MiniCC.Storage;

namespace MiniCC.Cli;

/// <summary><c>minicc rollups rebuild | status</c>: the report rollups (see <see cref="Rollups"/>).</summary>
internal static class RollupsCommand
{
    public static Command Create(CliContext cli)
    {
        var rollups = new Command("rollups", "The report rollups: sums of the history per 15 minutes, hour and day, kept up to date as calls are written.");

        var rebuild = new Command("rebuild",
            "Recompute every rollup from the history (after rows were written into the database by other means). Reports stay exact meanwhile.");
        rebuild.SetAction((_, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var hours = await Rollups.RebuildAsync(services.GetRequiredService<Database>(), Thresholds(services), Progress(cli), token);
            if (hours > 0)
            {
                cli.Error.WriteLine();
            }

            return cli.Ok($"Rolled up {hours} hours of history.");
        }, ct));

        var status = new Command("status", "How many hours of history wait to be rolled up (a running server rolls them up within seconds).");
        status.SetAction((_, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var marked = await Rollups.MarkedHoursAsync(services.GetRequiredService<Database>(), token);
            return cli.Ok(marked == 0 ? "Rollups are up to date." : $"{marked} hours wait to be rolled up (reports read them from the history meanwhile).");
        }, ct));

        rollups.Subcommands.Add(rebuild);
        rollups.Subcommands.Add(status);
        return rollups;
    }

    internal static RollupThresholds Thresholds(IServiceProvider services) =>
        RollupThresholds.Of(services.GetRequiredService<IOptions<ReportOptions>>().Value, services.GetRequiredService<Queues.QueueDirectory>());

    /// <summary>Hours done so far, on one line of standard error (standard output keeps the result alone).</summary>
    internal static IProgress<long> Progress(CliContext cli) => new SynchronousProgress(hours => cli.Error.Write($"\rrolled up {hours} hours…"));

    private sealed class SynchronousProgress(Action<long> report) : IProgress<long>
    {
        public void Report(long value) => report(value);
    }
}
