using System.Diagnostics;
using System.Net;
using System.Text.Json;
using MiniCC.Storage;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

public sealed class SqliteSpoolTests() : SpoolTests("sqlite");

public sealed class MySqlSpoolTests() : SpoolTests("mysql");

public sealed class PostgresSpoolTests() : SpoolTests("postgres");

/// <summary>The spool never blocks or loses the history: lines that cannot be stored are set aside, slow writes are bounded.</summary>
public abstract class SpoolTests(string provider) : IDisposable
{
    private readonly List<MiniCCFactory> _apps = [];

    protected string Provider { get; } = provider;

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }

        GC.SuppressFinalize(this);
    }

    private MiniCCFactory App(Dictionary<string, string?>? settings = null)
    {
        var app = new MiniCCFactory(Provider, settings);
        _apps.Add(app);
        return app;
    }

    /// <summary>A spool line as MiniCC writes it (and as earlier versions did), built by hand so that any value gets through.</summary>
    private static string Line(string kind, string callSid, long? at = null, string? id = null, long? operatorId = null)
    {
        var line = new Dictionary<string, object>
        {
            ["Kind"] = kind,
            ["At"] = at ?? MiniCCFactory.StartMs,
            ["Id"] = id ?? "x",
            ["Params"] = Call(callSid, status: "completed", extra: ("CallDuration", "7")).ToDictionary(p => p.Item1, p => p.Item2),
        };
        if (operatorId is not null)
        {
            line["OperatorId"] = operatorId;
        }

        return JsonSerializer.Serialize(line);
    }

    [SkippableFact]
    public async Task LinesThatCanNeverBeStoredAreSetAsideWithTheirReasonAndTheRestIsReplayed()
    {
        var app = App();
        var good = Enumerable.Range(0, 3).Select(_ => NewCallSid()).ToList();
        var poisoned = NewCallSid();
        string[] lines =
        [
            Line("call_end", good[0]),
            Line("call_end", NewCallSid(), at: 9_000_000_000_000_000_000),               // a time no clock gives
            Line("call_end", NewCallSid()).Replace("\"Params\":{", "\"Params\":null,\"X\":{", StringComparison.Ordinal),
            Line("ivr", NewCallSid(), id: new string('k', 100)),                        // longer than the dedupe_key column
            Line("incoming", poisoned, operatorId: 99_999_999_999),                     // larger than calls.operator_id
            Line("call_end", poisoned),                                                 // the same call goes on after its bad line
            "{not json",
            Line("call_end", good[1]),
            Line("call_end", good[2]),
        ];
        Directory.CreateDirectory(app.SpoolDirectory);
        // The single spool file of earlier versions (still replayed after an upgrade); segments are read the same way.
        await File.WriteAllLinesAsync(Path.Combine(app.SpoolDirectory, "events.jsonl"), lines);

        _ = app.Server;
        var ends = (await app.History.EventsAsync(default)).Where(e => e.Kind == "call_end").Select(e => e.CallSid).ToHashSet();

        Assert.Equal(0, app.Spool.Backlog);
        Assert.Superset(good.Append(poisoned).ToHashSet(), ends);
        const int expectedRejected = 5;
        var rejected = (await File.ReadAllLinesAsync(Path.Combine(app.SpoolDirectory, Spool.RejectedFileName)))
            .Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal(expectedRejected, rejected.Count);
        Assert.All(rejected, r => Assert.False(string.IsNullOrWhiteSpace(r.GetProperty("reason").GetString())));
        Assert.Contains(rejected, r => r.GetProperty("line").GetString() == "{not json");
        Assert.Contains(rejected, r => r.GetProperty("reason").GetString()!.Contains("between 2000 and 2200", StringComparison.Ordinal));
        Assert.Equal(expectedRejected, app.Logs.Lines.Count(l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("can never be stored", StringComparison.Ordinal)));
        Assert.Equal(expectedRejected, (await app.HealthAsync()).GetProperty("spool").GetProperty("rejected").GetInt32());
        Assert.Empty(Directory.GetFiles(app.SpoolDirectory, "events*"));
    }

    [SkippableFact]
    public async Task NewWebhooksReachTheDatabaseWhileAnOlderSpooledLineFails()
    {
        var app = App();
        Directory.CreateDirectory(app.SpoolDirectory);
        await File.WriteAllLinesAsync(Path.Combine(app.SpoolDirectory, "events.jsonl"),
            [Line("call_end", NewCallSid(), at: 9_000_000_000_000_000_000)]);
        _ = app.Server;

        var sids = Enumerable.Range(0, 50).Select(_ => NewCallSid()).ToList();
        foreach (var sid in sids)
        {
            using var r = await app.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "30")));
            Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
        }

        var stored = (await app.History.EventsAsync(default)).Select(e => e.CallSid).ToHashSet();
        Assert.All(sids, s => Assert.Contains(s, stored));
    }

    [SkippableFact]
    public async Task ValuesNoColumnCanHoldAreRefusedAtTheEdgeAndTheRestOfTheEventIsStored()
    {
        var app = App();
        var sid = NewCallSid();
        using var client = app.SignedClient();
        // A GET's query is decoded whole (ASP.NET leaves %00 in a form body encoded), so a NUL really arrives this way.
        using var r = await client.GetAsync(new Uri(
            $"/voice/status?CallSid={sid}&From=%2B8190%001112222&To=%2B81501234567&CallStatus=completedcompletedcompleted" +
            "&Direction=inbound-but-much-too-long-for-it&CallDuration=12", UriKind.Relative));
        Assert.True(r.StatusCode == HttpStatusCode.NoContent, await r.Content.ReadAsStringAsync());
        Assert.Equal(0, app.Spool.Backlog);
        var e = Assert.Single(await app.History.EventsAsync(default));
        Assert.Equal((sid, (string?)null, (string?)null, 12L), (e.CallSid, e.FromNumber, e.CallStatus, e.CallDuration));
        Assert.Contains("completedcompletedcompleted", e.Params, StringComparison.Ordinal); // every parameter is kept as sent
        Assert.Contains(app.Logs.Lines, l => l.Contains("malformed parameters treated as absent: From, CallStatus, Direction", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task AMenuChoiceWithALongIdempotencyTokenIsStoredOnce()
    {
        var app = App();
        using var client = app.SignedClient();
        var sid = NewCallSid();
        for (var i = 0; i < 2; i++)
        {
            using var content = new FormUrlEncodedContent(Call(sid, extra: ("Digits", "2")).Select(f => KeyValuePair.Create(f.Item1, f.Item2)));
            using var request = new HttpRequestMessage(HttpMethod.Post, "/voice/menu") { Content = content };
            request.Headers.Add("I-Twilio-Idempotency-Token", new string('7', 64));
            using var response = await client.SendAsync(request);
            response.EnsureSuccessStatusCode();
        }

        Assert.Equal(0, app.Spool.Backlog);
        Assert.Single(await app.History.EventsAsync(default), e => e.Kind == "ivr");
        Assert.Equal(0, (await app.HealthAsync()).GetProperty("spool").GetProperty("rejected").GetInt32());
    }

    [SkippableFact]
    public async Task AWriteTheDatabaseCannotTakeInTimeIsSpooledAndTheWebhookAnsweredWithinTheBound()
    {
        var app = App(new() { ["MiniCC:WriteTimeoutSeconds"] = "0.5" });
        _ = app.Server;
        var sids = Enumerable.Range(0, 64).Select(_ => NewCallSid()).ToList();
        TimeSpan[] answeredIn;
        await using (await DatabaseLock.TakeAsync(Provider, app.TestDatabase.ConnectionString))
        {
            // Every webhook is answered while the lock is still held (before the bound, they waited for it: 5 to 25 s).
            answeredIn = await Task.WhenAll(sids.Select(async sid =>
            {
                var clock = Stopwatch.StartNew();
                using var r = await app.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "30")));
                Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
                return clock.Elapsed;
            })).WaitAsync(AnswerTime.Longest);
            Assert.True(app.Spool.Backlog > 0);
        }

        AnswerTime.AssertQuick(answeredIn);
        var stored = (await app.History.EventsAsync(default)).Where(e => e.Kind == "call_end").Select(e => e.CallSid).ToList();
        Assert.Equal(sids.Order(), stored.Order());
    }
}
