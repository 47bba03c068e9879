namespace MiniCC.Storage;

/// <summary>
/// The one way webhooks record history. Straight into the database when it answers; into the spool
/// when it does not (and while older events still wait there, so that order is kept). Never throws:
/// the caller's TwiML does not wait on the database's health.
/// </summary>
public sealed partial class Recorder(HistoryStore history, Spool spool, ILogger<Recorder> log)
{
    public async Task RecordAsync(HistoryEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (spool.Backlog == 0)
        {
            try
            {
                // Not the request's token: an event Twilio reported is recorded even if Twilio stops listening.
                if (!await history.ApplyAsync(e, CancellationToken.None))
                {
                    Replay(log, e.Kind, e.Params.GetValueOrDefault("CallSid"));
                }

                return;
            }
            catch (Exception ex)
            {
                DatabaseFailed(log, ex, e.Kind, e.Params.GetValueOrDefault("CallSid"));
            }
        }

        try
        {
            await spool.AppendAsync(e);
        }
        catch (Exception ex)
        {
            Lost(log, ex, e.Kind, e.Params.GetValueOrDefault("CallSid"), System.Text.Json.JsonSerializer.Serialize(e));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Kind} for call {CallSid} ignored (already recorded)")]
    private static partial void Replay(ILogger logger, string kind, string? callSid);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not record {Kind} for call {CallSid} in the database; spooling it")]
    private static partial void DatabaseFailed(ILogger logger, Exception ex, string kind, string? callSid);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Could not record {Kind} for call {CallSid} in the database nor the spool; the event follows: {Event}")]
    private static partial void Lost(ILogger logger, Exception ex, string kind, string? callSid, string @event);
}

/// <summary>Replays the spool into the database: at start, whenever something is spooled, and every few seconds.</summary>
public sealed partial class SpoolReplayer(Spool spool, HistoryStore history, IConfiguration configuration, ILogger<SpoolReplayer> log)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var period = TimeSpan.FromSeconds(Math.Clamp(configuration.GetValue("MiniCC:SpoolReplaySeconds", 2.0), 0.05, 300));
        var wake = new SemaphoreSlim(0, int.MaxValue);
        spool.Appended += () => wake.Release();
        while (!stoppingToken.IsCancellationRequested)
        {
            if (spool.Backlog > 0)
            {
                try
                {
                    var applied = await spool.ReplayAsync(e => history.ApplyAsync(e, stoppingToken), stoppingToken);
                    if (applied > 0)
                    {
                        Replayed(log, applied, spool.Backlog);
                    }
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    ReplayFailed(log, ex);
                }
            }

            try
            {
                await wake.WaitAsync(period, stoppingToken);
                await Task.Delay(period, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed {Applied} spooled events into the database; {Backlog} still waiting")]
    private static partial void Replayed(ILogger logger, int applied, int backlog);

    [LoggerMessage(Level = LogLevel.Error, Message = "Replaying the spool failed; will retry")]
    private static partial void ReplayFailed(ILogger logger, Exception ex);
}
