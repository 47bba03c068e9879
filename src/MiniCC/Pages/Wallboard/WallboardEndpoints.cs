using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Web;
using MiniCC.Reports;

namespace MiniCC.Pages.Wallboard;

/// <summary>
/// The wallboard's live stream (server-sent events): the board, rendered by the same component as the page, each time
/// the database changes (<see cref="WallboardFeed"/> looks at the database, so a call handled by any instance shows)
/// and once a second in between, so that the waits and states count up. Signed-in users only.
/// </summary>
public static class WallboardEndpoints
{
    /// <summary>How often the board is drawn again without a change: its clocks tick in seconds.</summary>
    public static readonly TimeSpan Tick = TimeSpan.FromSeconds(1);

    public static IEndpointRouteBuilder MapWallboard(this IEndpointRouteBuilder app)
    {
        app.MapGet(PageRoutes.WallboardEvents, (HttpContext http, WallboardFeed feed, TimeProvider time, ILoggerFactory logs, string? layout,
                CancellationToken ct) =>
            TypedResults.ServerSentEvents(Frames(http.RequestServices, feed, time, logs, layout == "desk" ? "desk" : "tv", ct), eventType: "board"))
            .RequireAuthorization();
        return app;
    }

    private static async IAsyncEnumerable<string> Frames(IServiceProvider services, WallboardFeed feed, TimeProvider time, ILoggerFactory logs,
        string layout, [EnumeratorCancellation] CancellationToken ct)
    {
        await using var renderer = new HtmlRenderer(services, logs);
        await using var boards = feed.WatchAsync(ct).GetAsyncEnumerator(ct);
        var next = boards.MoveNextAsync().AsTask();
        Reports.Wallboard? latest = null;
        try
        {
        while (!ct.IsCancellationRequested)
        {
            using var tick = CancellationTokenSource.CreateLinkedTokenSource(ct);
            // A cadence in real time, whatever clock the board is drawn for (a test's clock may stand still).
            var delay = Task.Delay(Tick, tick.Token);
            if (await Task.WhenAny(next, delay) == next)
            {
                await tick.CancelAsync();
                if (!await next)
                {
                    yield break;
                }

                latest = boards.Current;
                next = boards.MoveNextAsync().AsTask();
            }

            if (latest is not null)
            {
                yield return await Render(renderer, latest, time.GetUtcNow(), layout);
            }
        }
        }
        finally
        {
            // An async enumerator may not be disposed while a MoveNextAsync is running: let the pending one end first.
            try
            {
                await next;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private static Task<string> Render(HtmlRenderer renderer, Reports.Wallboard board, DateTimeOffset now, string layout) =>
        renderer.Dispatcher.InvokeAsync(async () =>
        {
            var parameters = ParameterView.FromDictionary(new Dictionary<string, object?>
            {
                [nameof(WallboardBoard.Board)] = board,
                [nameof(WallboardBoard.Now)] = now,
                [nameof(WallboardBoard.Layout)] = layout,
            });
            var output = await renderer.RenderComponentAsync<WallboardBoard>(parameters);
            return output.ToHtmlString();
        });
}
