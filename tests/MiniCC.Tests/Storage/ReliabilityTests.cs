using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

/// <summary>Nothing is lost: replays are stored once, and events wait in the spool while the database is away.</summary>
public sealed class ReliabilityTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.Create("sqlite");
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "minicc-spool-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        _db.Dispose();
        if (Directory.Exists(_spool))
        {
            Directory.Delete(_spool, recursive: true);
        }
    }

    /// <summary>The app on the test's own database and spool, so that a second instance can take over both.</summary>
    private MiniCCFactory App() => new(new()
    {
        // A short busy timeout: a locked database fails fast instead of holding the caller.
        ["ConnectionStrings:MiniCC"] = _db.ConnectionString + ";Default Timeout=1",
        ["MiniCC:SpoolDirectory"] = _spool,
    });

    private static async Task AnsweredCallAsync(MiniCCFactory app, string customer, string op)
    {
        Assert.Equal("Enqueue", Verbs(await app.TwimlAsync("/voice/menu", Call(customer, extra: ("Digits", "1"))))[^1]);
        Assert.Equal("Play", Verbs(await app.TwimlAsync("/voice/wait", Call(customer, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")])))[^1]);
        app.Clock.Advance(TimeSpan.FromSeconds(20));
        Assert.Equal("Say", Verbs(await app.TwimlAsync("/voice/whisper", Call(customer, extra: [("QueueSid", QueueSid), ("QueueTime", "20"), ("DequeingCallSid", op)])))[^1]);
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal("Hangup", Verbs(await app.TwimlAsync("/voice/queue-exit", Call(customer, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "20")])))[^1]);
        using var status = await app.PostAsync("/voice/status", Call(customer, status: "completed", extra: ("CallDuration", "95")));
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
    }

    [Fact]
    public async Task HealthShowsAnonymousCallersNoFilesystemPath()
    {
        using var app = App();
        using var client = app.CreateClient();
        foreach (var databaseAway in new[] { false, true })
        {
            using var blocker = databaseAway ? Storage.DatabaseLock.HoldSqlite(_db.ConnectionString) : null;
            using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
            var body = await response.Content.ReadAsStringAsync();
            Assert.DoesNotContain(_spool, body, StringComparison.Ordinal);
            Assert.DoesNotContain(_db.SqlitePath!, body, StringComparison.Ordinal);
            Assert.DoesNotContain(Path.GetTempPath().TrimEnd('/'), body, StringComparison.Ordinal);
            var health = JsonDocument.Parse(body).RootElement;
            Assert.NotNull(health.GetProperty("status").GetString());
            _ = health.GetProperty("database").GetProperty("reachable").GetBoolean();
            Assert.Equal("sqlite", health.GetProperty("database").GetProperty("provider").GetString());
            Assert.Equal(0, health.GetProperty("spool").GetProperty("backlog").GetInt32());
        }
    }

    [Fact]
    public async Task WhileTheDatabaseIsAwayCallsFlowAndTheirEventsAreReplayedInOrderWhenItReturns()
    {
        using var app = App();
        var op = await app.OperatorCallsInAsync();
        Assert.Equal("ok", (await app.HealthAsync()).GetProperty("status").GetString());

        var customer = NewCallSid();
        using (Storage.DatabaseLock.HoldSqlite(_db.ConnectionString))
        {
            await AnsweredCallAsync(app, customer, op);
            var health = await app.HealthAsync();
            Assert.Equal("degraded", health.GetProperty("status").GetString());
            Assert.Equal(5, health.GetProperty("spool").GetProperty("backlog").GetInt32());
            Assert.Equal(5, Directory.GetFiles(_spool, "events-*.jsonl").Sum(f => File.ReadAllLines(f).Length));
        }

        // The database is back: the replayer empties the spool by itself.
        await app.History.DrainAsync();
        Assert.Equal(0, app.Spool.Backlog);
        var visit = Assert.Single(await app.History.QueueVisitsAsync(default));
        Assert.Equal((customer, "bridged", 20L, 60L, op), (visit.CallSid, visit.Result, visit.WaitSeconds, visit.TalkSeconds, visit.OperatorCallSid));
        Assert.Equal(MiniCCFactory.StartMs, visit.EnteredAt);
        var events = await app.History.EventsAsync(default);
        Assert.Equal(["ivr", "waiting", "pickup", "queue_exit", "call_end"], events.Where(e => e.CallSid == customer).Select(e => e.Kind));
        var call = (await app.History.CallsAsync(default)).Single(c => c.CallSid == customer);
        Assert.Equal(("operator", 95L), (call.IvrChoice, call.DurationSeconds));
        Assert.Equal("ok", (await app.HealthAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task SpooledEventsSurviveARestartAndAreReplayedOnce()
    {
        var customer = NewCallSid();
        using (var first = App())
        {
            _ = first.Server;
            using var blocker = Storage.DatabaseLock.HoldSqlite(_db.ConnectionString);
            await AnsweredCallAsync(first, customer, NewCallSid());
            Assert.Equal(5, first.Spool.Backlog);
        }

        // A new process on the same spool and database, now reachable.
        using var second = App();
        _ = second.Server;
        await second.History.DrainAsync();
        Assert.Equal(0, second.Spool.Backlog);
        Assert.Equal(5, (await second.History.EventsAsync(default)).Count(e => e.CallSid == customer));
        Assert.Single(await second.History.QueueVisitsAsync(default));
    }

    [Fact]
    public async Task AnUnreadableSpoolLineIsSetAsideNotLostAndDoesNotBlockTheRest()
    {
        Directory.CreateDirectory(_spool);
        // A line as MiniCC writes it.
        var good = new Dictionary<string, object>
        {
            ["Kind"] = "call_end",
            ["At"] = MiniCCFactory.StartMs,
            ["Id"] = "x",
            ["Params"] = new Dictionary<string, string> { ["CallSid"] = NewCallSid(), ["CallStatus"] = "completed", ["CallDuration"] = "5" },
        };
        // events.jsonl: the single spool file of earlier versions, still replayed after an upgrade.
        await File.WriteAllLinesAsync(Path.Combine(_spool, "events.jsonl"), ["{not json", JsonSerializer.Serialize(good)]);

        using var app = App();
        _ = app.Server;
        await app.History.DrainAsync();
        Assert.Equal(0, app.Spool.Backlog);
        Assert.Single(await app.History.CallsAsync(default));
        var rejected = JsonDocument.Parse(Assert.Single(await File.ReadAllLinesAsync(Path.Combine(_spool, "rejected.jsonl")))).RootElement;
        Assert.Equal("{not json", rejected.GetProperty("line").GetString());
        Assert.Contains("not a readable event", rejected.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(_spool, "events.jsonl")));
    }

    [Fact]
    public async Task TheOperatorLoopTrustsASignInThatWaitsInTheSpool()
    {
        using var app = App();
        await app.Operators.AddAsync(OperatorPhone, null, default);
        var op = NewCallSid();
        using (Storage.DatabaseLock.HoldSqlite(_db.ConnectionString))
        {
            Assert.Equal("/voice/operator", (await app.TwimlAsync("/voice/incoming", Call(op, from: OperatorPhone))).Element("Redirect")!.Value);
            Assert.True(app.Spool.HasPendingSignIn(op));

            // The database still answers reads (SQLite's WAL), but the sign-in is not in it yet.
            var loop = await app.TwimlAsync("/voice/operator", Call(op, from: OperatorPhone));
            Assert.Equal(["Gather", "Dial", "Redirect"], Verbs(loop));
        }
    }

    /// <summary>
    /// The suite's old timing assumption: that a webhook's event is in the database when the webhook is answered. On a
    /// loaded machine a write can miss its bound and wait in the spool (as PostgresVoiceFlowTests once showed); the
    /// tests' history reads wait for the spool to be replayed.
    /// </summary>
    [Fact]
    public async Task TheTestsHistoryReadsWaitForEventsStillInTheSpool()
    {
        using var app = new MiniCCFactory(new()
        {
            ["ConnectionStrings:MiniCC"] = _db.ConnectionString + ";Default Timeout=1",
            ["MiniCC:SpoolDirectory"] = _spool,
            ["MiniCC:SpoolReplaySeconds"] = "1",
        });
        _ = app.Server;
        var sid = NewCallSid();
        using (Storage.DatabaseLock.HoldSqlite(_db.ConnectionString))
        {
            using var r = await app.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "5")));
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        Assert.Contains(await app.History.EventsAsync(default), e => e.CallSid == sid);
    }

    [Fact]
    public async Task AMenuChoiceRedeliveredWithTheSameIdempotencyTokenIsStoredOnce()
    {
        using var app = App();
        using var client = app.SignedClient();
        var form = Call(NewCallSid(), extra: ("Digits", "2"));
        for (var i = 0; i < 3; i++)
        {
            using var content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Item1, f.Item2)));
            var request = new HttpRequestMessage(HttpMethod.Post, "/voice/menu") { Content = content };
            request.Headers.Add("I-Twilio-Idempotency-Token", "6f1d9c1e-5a52-4c5e-9a0a-7d0b6a1c2f33");
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        Assert.Single(await app.History.EventsAsync(default), e => e.Kind == "ivr");
    }
}
