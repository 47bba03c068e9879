using Dapper;

namespace MiniCC.Storage;

/// <summary>
/// <c>/healthz</c>: can this instance reach its database, how many events wait in its spool, and whatever
/// puts the history at risk (the reasons are listed in <c>problems</c> whenever the status is <c>degraded</c>).
/// </summary>
public static class HealthEndpoints
{
    public const string Path = "/healthz";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (Database database, Spool spool, Recorder recorder, Metrics.MiniCCMeter meter, CancellationToken ct) =>
        {
            string? error = null;
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                timeout.CancelAfter(TimeSpan.FromSeconds(3));
                await database.ReadAsync(c => c.ExecuteScalarAsync<int>(new CommandDefinition("SELECT 1", cancellationToken: timeout.Token)), timeout.Token);
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                error = ex.GetType().Name;
                meter.DatabaseError("health", ex);
            }

            var problems = new List<string>();
            if (error is not null)
            {
                problems.Add("the database cannot be reached; events are spooled");
            }

            if (spool.Backlog > 0)
            {
                problems.Add($"{spool.Backlog} events wait in the spool for the database");
            }

            if (spool.WriteProblem is { } writeProblem)
            {
                problems.Add("the spool cannot be written (" + writeProblem + "); events go straight to the database, and are lost if it cannot take them either");
            }

            if (recorder.Lost > 0)
            {
                problems.Add($"{recorder.Lost} events could be stored neither in the database nor in the spool since start (logged in full at Critical)");
            }

            // 200 either way: an instance whose database is away still answers every call (and spools).
            // Anyone may ask, so nothing here names a file or directory on this machine.
            return Results.Json(new
            {
                status = problems.Count == 0 ? "ok" : "degraded",
                problems,
                database = new { provider = database.Settings.Provider, reachable = error is null, error },
                spool = new { backlog = spool.Backlog, rejected = spool.Rejected, writable = spool.WriteProblem is null },
                lost = recorder.Lost,
            });
        });
        return app;
    }
}
