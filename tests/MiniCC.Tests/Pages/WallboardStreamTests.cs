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

    private readonly RealTimeInstances _instances = new(provider);

    public void Dispose() => _instances.Dispose();

    private MiniCCFactory Instance(MiniCCFactory? sameDatabaseAs = null) => _instances.Start(sameDatabaseAs);

    /// <summary>The next "board" event whose HTML, as the browser reads it (character references decoded), satisfies <paramref name="wanted"/>.</summary>
    private static async Task<string> NextBoardAsync(IAsyncEnumerator<SseItem<string>> events, Func<string, bool> wanted, TimeSpan within) =>
        Html((await RealTimeInstances.NextAsync(events, e => e.EventType == "board" && wanted(Html(e)), within)));

    private static string Html(SseItem<string> e) => System.Net.WebUtility.HtmlDecode(e.Data);

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
