using System.Diagnostics;
using System.Net.ServerSentEvents;
using Xunit.Abstractions;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

public sealed class SqliteWallboardStreamTests(ITestOutputHelper output) : WallboardStreamTests("sqlite", output);

public sealed class MySqlWallboardStreamTests(ITestOutputHelper output) : WallboardStreamTests("mysql", output);

public sealed class PostgresWallboardStreamTests(ITestOutputHelper output) : WallboardStreamTests("postgres", output);

/// <summary>
/// The wallboard as a browser gets it: server-sent events from one instance show a caller who reached another instance
/// on the same database, within a second of that instance's answer; and the waits count up between changes.
/// </summary>
public abstract class WallboardStreamTests(string provider, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(1);

    private readonly List<MiniCCFactory> _apps = [];

    public void Dispose()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            app.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private MiniCCFactory Instance(MiniCCFactory? sameDatabaseAs = null)
    {
        var app = new MiniCCFactory(provider,
            sameDatabaseAs is null ? null : new() { ["ConnectionStrings:MiniCC"] = sameDatabaseAs.TestDatabase.ConnectionString },
            TimeProvider.System);
        _apps.Add(app);
        _ = app.Services;
        return app;
    }

    /// <summary>The next "board" event whose HTML satisfies <paramref name="wanted"/>, or a failure after <paramref name="within"/>.</summary>
    private static async Task<string> NextBoardAsync(IAsyncEnumerator<SseItem<string>> events, Func<string, bool> wanted, TimeSpan within)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < within)
        {
            bool more;
            try
            {
                more = await events.MoveNextAsync().AsTask().WaitAsync(within - clock.Elapsed);
            }
            catch (TimeoutException)
            {
                break;
            }

            Assert.True(more, "the stream ended");
            // The HTML as the browser reads it (character references decoded).
            var html = System.Net.WebUtility.HtmlDecode(events.Current.Data);
            if (events.Current.EventType == "board" && wanted(html))
            {
                return html;
            }
        }

        Assert.Fail($"no such board within {within.TotalSeconds} s");
        return "";
    }

    [SkippableFact]
    public async Task ACallerWhoReachedAnotherInstanceIsOnThisInstancesWallboardWithinOneSecond()
    {
        var a = Instance();
        var b = Instance(sameDatabaseAs: a);
        using var browser = await PageClient.SignedInAsync(a);
        using var response = await browser.GetAsync(new Uri("/wallboard/events?layout=desk", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var events = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
        var first = await NextBoardAsync(events, _ => true, TimeSpan.FromSeconds(30));
        Assert.Contains("class=\"board desk\"", first, StringComparison.Ordinal);

        var worst = TimeSpan.Zero;
        for (var i = 0; i < 3; i++)
        {
            var sid = NewCallSid();
            await b.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));
            await b.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
            var answered = Stopwatch.StartNew();
            var board = await NextBoardAsync(events, html => html.Contains($"data-call=\"{sid}\"", StringComparison.Ordinal), Promise);
            var seen = answered.Elapsed;
            worst = seen > worst ? seen : worst;
            output.WriteLine($"{provider}: caller {i + 1} on the other instance's wallboard after {seen.TotalMilliseconds:0} ms");
            Assert.Contains("+819011112222", board, StringComparison.Ordinal);
        }

        output.WriteLine($"{provider}: worst {worst.TotalMilliseconds:0} ms");
    }

    [SkippableFact]
    public async Task TheWaitsCountUpEverySecondWithoutAnyNewEvent()
    {
        var a = Instance();
        var sid = NewCallSid();
        await a.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        using var browser = await PageClient.SignedInAsync(a);
        using var response = await browser.GetAsync(new Uri("/wallboard/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var events = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
        await NextBoardAsync(events, html => html.Contains(sid, StringComparison.Ordinal), TimeSpan.FromSeconds(30));
        // Three boards in a row, each drawn a second apart: the caller's wait is 0:0N, growing.
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < 3; i++)
        {
            await NextBoardAsync(events, _ => true, TimeSpan.FromSeconds(5));
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(15));
        var later = await NextBoardAsync(events, _ => true, TimeSpan.FromSeconds(5));
        Assert.Matches($"data-call=\"{sid}\"><td>\\+819011112222</td><td>[^<]*</td><td>0:0[2-9]</td>", later);
    }
}
