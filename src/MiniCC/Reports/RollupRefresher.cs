using Microsoft.Extensions.Options;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>
/// Rolls up, in the background of the web server, the hours writes have marked once they are over (the hour being
/// written stays marked, and reports read it from the history), so that reports read few hours from the history. At start it also marks the hours counted with other thresholds than the settings'. Every instance runs
/// one; their refreshes take turns (<see cref="Rollups.RefreshAsync"/>). Reports are exact without it, only slower.
/// </summary>
internal sealed class RollupRefresher(Database database, IOptions<ReportOptions> options, Queues.QueueDirectory queues, TimeProvider time, ILogger<RollupRefresher> log)
    : BackgroundService
{
    /// <summary>How often marked hours are looked for: the hour being written is marked again and again.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var thresholds = RollupThresholds.Of(options.Value, queues);
        var checkedThresholds = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Interval, time, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                if (!checkedThresholds)
                {
                    await Rollups.MarkOtherThresholdsAsync(database, thresholds, stoppingToken);
                    checkedThresholds = true;
                }

                // The hour being written is left marked (read from the history) until it is over: recomputing it
                // every few seconds would hold the writers up (SQLite's one write lock; the mark's row lock on servers).
                var currentHour = time.GetUtcNow().ToUnixTimeMilliseconds() / Rollups.HourMs;
                var hours = await Rollups.RefreshAllAsync(database, thresholds, null, currentHour, stoppingToken);
                if (hours > Rollups.HoursPerRefresh)
                {
                    RollupLog.Refreshed(log, hours);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or InvalidOperationException or ObjectDisposedException)
            {
                RollupLog.RefreshFailed(log, ex);
            }
        }
    }
}
