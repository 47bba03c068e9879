using Dapper;

namespace MiniCC.Storage;

/// <summary><c>/healthz</c>: can this instance reach its database, and how many events wait in its spool.</summary>
public static class HealthEndpoints
{
    public const string Path = "/healthz";

    public static IEndpointRouteBuilder MapHealth(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, async (Database database, Spool spool, CancellationToken ct) =>
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
            }

            // 200 either way: an instance whose database is away still answers every call (and spools).
            // Anyone may ask, so nothing here names a file or directory on this machine.
            return Results.Json(new
            {
                status = error is null && spool.Backlog == 0 ? "ok" : "degraded",
                database = new { provider = database.Settings.Provider, reachable = error is null, error },
                spool = new { backlog = spool.Backlog },
            });
        });
        return app;
    }
}
