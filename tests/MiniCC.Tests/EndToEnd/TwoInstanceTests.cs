using MiniCC.Emulator;

namespace MiniCC.Tests.EndToEnd;

public sealed class MySqlTwoInstanceTests() : TwoInstanceTests("mysql");

public sealed class PostgresTwoInstanceTests() : TwoInstanceTests("postgres");

/// <summary>
/// Two MiniCC server processes on two loopback ports, one database, and a busy hour sent through both,
/// alternating per request as a load balancer would: every event is stored once and the history equals the ground truth.
/// </summary>
public abstract class TwoInstanceTests(string provider)
{
    [SkippableFact]
    public async Task TwoServersOnOneDatabaseStoreEveryEventOnceAndMatchTheGroundTruth()
    {
        using var db = TestDatabase.Create(provider);
        var scenario = new Scenario { Duration = TimeSpan.FromHours(1), ArrivalsPerHour = 150, Operators = 4, MeanPatience = TimeSpan.FromSeconds(100) };

        // Both start at once against an empty database: one migrates, the other waits for it.
        await using var servers = await TwoServers.StartAsync(db);
        for (var i = 1; i <= scenario.Operators; i++)
        {
            Assert.Equal(0, (await servers.Cli.RunAsync("operators", "add", Scenario.OperatorPhone(i))).ExitCode);
        }

        var twilio = servers.Twilio(seed: 7);
        var truth = await Simulation.RunAsync(twilio, scenario);

        Assert.Empty(twilio.ApplicationErrors);
        Assert.All(servers.Balancer.Served, n => Assert.True(n > 500, $"each instance served requests: {string.Join(", ", servers.Balancer.Served)}"));

        var history = servers.History;
        var visits = (await history.QueueVisitsAsync(default)).ToDictionary(v => v.CallSid);
        var queued = twilio.Truth.Where(t => !t.IsOperator && t.Queued).ToList();
        Assert.Equal(truth.Offered, queued.Count);
        Assert.Equal(queued.Count, visits.Count);
        foreach (var t in queued)
        {
            var v = visits[t.CallSid];
            Assert.Equal((t.QueueResult, t.WaitSeconds, t.AnsweredByCallSid), (v.Result, (int?)v.WaitSeconds, v.OperatorCallSid));
        }

        // Every event exactly once: one end per call, one queue exit per queued caller, one pickup per answer.
        var events = await history.EventsAsync(default);
        var everyCall = twilio.Truth.Select(t => t.CallSid).ToHashSet();
        Assert.Equal(everyCall.OrderBy(s => s), events.Where(e => e.Kind == "call_end").Select(e => e.CallSid).OrderBy(s => s));
        Assert.Equal(queued.Select(t => t.CallSid).OrderBy(s => s), events.Where(e => e.Kind == "queue_exit").Select(e => e.CallSid).OrderBy(s => s));
        Assert.Equal(truth.Answered, events.Count(e => e.Kind == "pickup"));
        var r = (await history.CallsAsync(default)).Where(c => c.Role == "customer").ToDictionary(c => c.CallSid);
        foreach (var t in twilio.Truth.Where(t => !t.IsOperator))
        {
            Assert.Equal((t.IvrChoice, t.DurationSeconds), (r[t.CallSid].IvrChoice, (int?)r[t.CallSid].DurationSeconds));
        }
    }
}
