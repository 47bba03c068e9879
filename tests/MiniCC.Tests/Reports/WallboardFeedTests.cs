using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using MiniCC.Reports;
using MiniCC.Storage;
using Xunit.Abstractions;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Reports;

public sealed class SqliteWallboardFeedTests(ITestOutputHelper output) : WallboardFeedTests("sqlite", output);

public sealed class MySqlWallboardFeedTests(ITestOutputHelper output) : WallboardFeedTests("mysql", output);

public sealed class PostgresWallboardFeedTests(ITestOutputHelper output) : WallboardFeedTests("postgres", output);

/// <summary>
/// The wallboard feed on real time: two instances on one database (a webhook answered by one shows on the other's feed
/// within a second), one board for every subscriber, a refresh without events, and no loop when nobody listens.
/// </summary>
public abstract class WallboardFeedTests(string provider, ITestOutputHelper output) : IDisposable
{
    /// <summary>What the wallboard promises: a change on the board within one second of the webhook's answer.</summary>
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(1);

    private readonly RealTimeInstances _instances = new(provider);

    public void Dispose() => _instances.Dispose();

    private MiniCCFactory Instance(MiniCCFactory? sameDatabaseAs = null) => _instances.Start(sameDatabaseAs);

    private static WallboardFeed Feed(MiniCCFactory app) => app.Services.GetRequiredService<WallboardFeed>();

    /// <summary>The next board that satisfies <paramref name="wanted"/>; fails after <paramref name="within"/>.</summary>
    internal static Task<Wallboard> NextAsync(IAsyncEnumerator<Wallboard> feed, Func<Wallboard, bool> wanted, TimeSpan within) =>
        RealTimeInstances.NextAsync(feed, wanted, within);

    [SkippableFact]
    public async Task AWebhookAnsweredByAnotherInstanceIsOnThisInstancesFeedWithinOneSecond()
    {
        var a = Instance();
        var b = Instance(sameDatabaseAs: a);
        await b.Operators.AddAsync(OperatorPhone, "Sato", default);
        // Only a change in the database may bring the board: no refresh by the clock during the test.
        Feed(a).RefreshPeriod = TimeSpan.FromHours(1);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var feed = Feed(a).WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var first = await NextAsync(feed, _ => true, TimeSpan.FromSeconds(30));
        Assert.Empty(first.Callers);

        var latencies = new List<TimeSpan>();
        async Task OnBAsync(string path, (string, string)[] form, Func<Wallboard, bool> seen)
        {
            await b.TwimlAsync(path, form);
            var answered = Stopwatch.StartNew();
            await NextAsync(feed, seen, TimeSpan.FromSeconds(10));
            latencies.Add(answered.Elapsed);
        }

        var op = NewCallSid();
        await OnBAsync("/voice/incoming", Call(op, from: OperatorPhone, status: "ringing"), w => w.Operators.Any(o => o.CallSid == op));
        string c1 = NewCallSid(), c2 = NewCallSid();
        await OnBAsync("/voice/wait", Call(c1, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]),
            w => w.Callers.Any(c => c.CallSid == c1));
        await OnBAsync("/voice/wait", Call(c2, from: "+819077778888", extra: [("QueuePosition", "2"), ("QueueSid", QueueSid), ("QueueTime", "0")]),
            w => w.Callers.Count == 2);
        await OnBAsync("/voice/whisper", Call(c1, extra: [("QueueSid", QueueSid), ("QueueTime", "1"), ("DequeingCallSid", op)]),
            w => w.Operators.Single().State == OperatorStates.OnCall && w.Operators.Single().CustomerCallSid == c1);
        await OnBAsync("/voice/queue-exit", Call(c2, from: "+819077778888", extra: [("QueueResult", "hangup"), ("QueueSid", QueueSid), ("QueueTime", "2")]),
            w => w.Callers.Count == 0 && w.Today.Abandoned == 1);
        await OnBAsync("/voice/queue-exit", Call(c1, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "1")]),
            w => w.Operators.Single().State == OperatorStates.Ready && w.OperatorsOnCall == 0);

        output.WriteLine($"{provider}: webhook answered by B → board on A's feed: " +
            string.Join(", ", latencies.Select(l => l.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture) + " ms")));
        Assert.All(latencies, l => Assert.True(l < Promise, $"a board came {l.TotalMilliseconds:0} ms after the webhook's answer"));
    }

    [SkippableFact]
    public async Task EverySubscriberGetsTheSameBoardAndNobodyListeningStopsTheLooks()
    {
        var app = Instance();
        var feed = Feed(app);
        feed.RefreshPeriod = TimeSpan.FromHours(1);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var one = feed.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var two = feed.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        await NextAsync(one, _ => true, TimeSpan.FromSeconds(30));
        await NextAsync(two, _ => true, TimeSpan.FromSeconds(30));

        var sid = NewCallSid();
        await app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        var seenByOne = await NextAsync(one, w => w.Waiting == 1, TimeSpan.FromSeconds(10));
        var seenByTwo = await NextAsync(two, w => w.Waiting == 1, TimeSpan.FromSeconds(10));
        Assert.Same(seenByOne, seenByTwo);

        // A third, later subscriber gets the current board at once, without waiting for a change.
        await using (var three = feed.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token))
        {
            Assert.Same(seenByOne, await NextAsync(three, _ => true, TimeSpan.FromMilliseconds(100)));
        }

        await one.DisposeAsync();
        Assert.True(feed.Looks > 0);
        await two.DisposeAsync();
        var looks = feed.Looks;
        await Task.Delay(feed.PollPeriod * 4);
        Assert.Equal(looks, feed.Looks);
    }

    [SkippableFact]
    public async Task WithoutEventsTheBoardIsReadAgainOnlyEveryRefreshPeriod()
    {
        var app = Instance();
        var feed = Feed(app);
        feed.RefreshPeriod = TimeSpan.FromHours(1);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var watch = feed.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        var first = await NextAsync(watch, _ => true, TimeSpan.FromSeconds(30));

        // Many looks, nothing changed: no board.
        var next = watch.MoveNextAsync().AsTask();
        var looks = feed.Looks;
        await Task.Delay(feed.PollPeriod * 6);
        Assert.True(feed.Looks >= looks + 3, $"{feed.Looks - looks} looks");
        Assert.False(next.IsCompleted, "a board came without a change");

        // A shorter refresh period brings one, with the time moved on.
        feed.RefreshPeriod = TimeSpan.FromMilliseconds(500);
        Assert.True(await next.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.True(watch.Current.At > first.At);
    }

    [SkippableFact]
    public async Task StoppingTheApplicationEndsEveryStream()
    {
        var app = Instance();
        var feed = Feed(app);
        await using var watch = feed.WatchAsync().GetAsyncEnumerator();
        await NextAsync(watch, _ => true, TimeSpan.FromSeconds(30));
        var next = watch.MoveNextAsync().AsTask();

        app.Services.GetRequiredService<IHostApplicationLifetime>().StopApplication();

        Assert.False(await next.WaitAsync(TimeSpan.FromSeconds(10)));
        await using var late = feed.WatchAsync().GetAsyncEnumerator();
        Assert.False(await late.MoveNextAsync());
    }
}
