using Dapper;
using MiniCC.Emulator;

namespace MiniCC.Tests.EndToEnd;

public sealed class MySqlTwoInstanceQueueTests() : TwoInstanceQueueTests("mysql");

public sealed class PostgresTwoInstanceQueueTests() : TwoInstanceQueueTests("postgres");

/// <summary>
/// Two instances on one database serve a busy hour through a menu with three queues (one served first) and operators
/// of different skills, some callers asking to be called back. What Twilio saw (the emulator's ground truth) says that
/// no caller was given to two operators, no operator talked to two at once, every caller reached only an operator of
/// their queue, and no callback was dialed twice at once; the history says the same as the truth, queue by queue.
/// </summary>
public abstract class TwoInstanceQueueTests(string provider) : IDisposable
{
    private const string Menu = """
        {
          "Start": "main",
          "Nodes": {
            "main": {
              "Type": "menu",
              "Greeting": [ { "Prompt": "Welcome" } ],
              "Say": [ { "Ja": "ご注文は1を、For English, press 2.", "En": "For orders press 1. For English, press 2." } ],
              "Retry": [ { "Prompt": "Retry" } ],
              "Options": [ { "Key": "1", "Next": "orders", "Choice": "orders" }, { "Key": "2", "Next": "english", "Choice": "en" } ],
              "NoInput": "support"
            },
            "orders": {
              "Type": "menu",
              "Say": [ { "Ja": "新しいご注文は1を、ご注文済みの方は2を押してください。", "En": "For a new order press 1, for an existing order press 2." } ],
              "Options": [ { "Key": "1", "Next": "support", "Choice": "new-order" }, { "Key": "2", "Next": "vip", "Choice": "existing-order" } ],
              "NoInput": "support"
            },
            "support": { "Type": "queue", "Queue": "support", "Say": [ { "Prompt": "Connecting" } ] },
            "vip": { "Type": "queue", "Queue": "vip", "Say": [ { "Prompt": "Connecting" } ] },
            "english": { "Type": "queue", "Queue": "english", "Say": [ { "Prompt": "Connecting" } ] }
          }
        }
        """;

    /// <summary>Who serves what: two for support and the priority queue, one for support alone, one for English alone, one for both languages.</summary>
    private static readonly string[][] Skills =
    [
        ["support:5", "vip:5"],
        ["support:5", "vip:5"],
        ["support:5"],
        ["english:5"],
        ["english:5", "support:3"],
    ];

    private readonly string _directory = Directory.CreateTempSubdirectory("minicc-two-queues-").FullName;

    public void Dispose()
    {
        Directory.Delete(_directory, recursive: true);
        GC.SuppressFinalize(this);
    }

    [SkippableFact]
    public async Task TwoServersGiveEachCallerToOneOperatorOfTheirQueueAndStoreWhatTwilioSaw()
    {
        using var db = TestDatabase.Create(provider);
        var menu = Path.Combine(_directory, "menu.json");
        await File.WriteAllTextAsync(menu, Menu);
        await using var servers = await TwoServers.StartAsync(db, new Dictionary<string, string>
        {
            ["MiniCC__Menu__File"] = menu,
            ["MiniCC__Queues__0__Name"] = "support",
            ["MiniCC__Queues__1__Name"] = "english",
            ["MiniCC__Queues__2__Name"] = "vip",
            ["MiniCC__Queues__2__Priority"] = "10",
            ["MiniCC__Callbacks__CallerId"] = "+81501234567",
            // The servers' clocks are real while the hour is virtual: a wrap-up or a missed-caller count measured in real
            // seconds would mean nothing here.
            ["MiniCC__OperatorStates__WrapUpSeconds"] = "0",
            ["MiniCC__OperatorStates__AutoPauseAfterMisses"] = "0",
        });
        var skills = new Dictionary<string, HashSet<string>>();
        for (var i = 1; i <= Skills.Length; i++)
        {
            var phone = Scenario.OperatorPhone(i);
            Assert.Equal(0, (await servers.Cli.RunAsync("operators", "add", phone)).ExitCode);
            Assert.Equal(0, (await servers.Cli.RunAsync(["operators", "skills", phone, .. Skills[i - 1]])).ExitCode);
            skills[phone] = [.. Skills[i - 1].Select(s => s.Split(':')[0])];
        }

        var scenario = new Scenario
        {
            Duration = TimeSpan.FromHours(1),
            ArrivalsPerHour = 140,
            Operators = Skills.Length,
            MeanTalk = TimeSpan.FromMinutes(2),
            MeanPatience = TimeSpan.FromSeconds(120),
            MenuPaths =
            [
                new(["1", "1"], 0.40),      // a new order: support
                new(["1", "2"], 0.20),      // an existing order: the priority queue
                new(["2"], 0.25),           // English
                new(["9", "1", "1"], 0.05), // a wrong key, then a new order: support
            ],                              // the rest press nothing: support
            CallbackShare = 0.15,
            MeanTimeBeforeChoice = TimeSpan.FromSeconds(10),
            CallbackDrain = TimeSpan.FromMinutes(5),
        };
        var twilio = servers.Twilio(seed: 11);
        var summary = await Simulation.RunAsync(twilio, scenario);
        Assert.Empty(twilio.ApplicationErrors);
        Assert.All(servers.Balancer.Served, n => Assert.True(n > 500, $"each instance served requests: {string.Join(", ", servers.Balancer.Served)}"));

        var truths = twilio.Truth.ToDictionary(t => t.CallSid);
        var connections = twilio.GroundTruth.Connections;
        var fromQueues = connections.Where(c => c.Queue is not null).ToList();
        var callbacks = connections.Where(c => c.Callback is not null).ToList();
        Assert.True(callbacks.Count > 3, $"{callbacks.Count} callbacks reached their customer; requested {summary.CallbacksRequested}, dials {twilio.GroundTruth.Callbacks.Count}: {string.Join(", ", twilio.GroundTruth.Callbacks.Select(d => d.Result))}; answered instead {summary.CallbacksAnsweredInstead}, left {summary.LeftForCallback}");

        // Each queued caller was given to one operator's call at most, the one its truth names, from the queue it waited in.
        Assert.All(fromQueues.GroupBy(c => c.CustomerCallSid), g => Assert.True(g.Count() == 1, $"{g.Key} was given to {string.Join(", ", g.Select(c => c.OperatorCallSid))}"));
        Assert.Equal(truths.Values.Count(t => t is { IsOperator: false, AnsweredAt: not null }), fromQueues.Count);
        Assert.All(fromQueues, c => Assert.Equal((c.Queue, c.OperatorCallSid), (truths[c.CustomerCallSid].Queue, truths[c.CustomerCallSid].AnsweredByCallSid)));

        // An operator (and each of their calls) talked to one customer at a time.
        foreach (var byOperator in connections.GroupBy(c => c.Operator))
        {
            var ordered = byOperator.OrderBy(c => c.At).ToList();
            Assert.All(ordered, c => Assert.NotNull(c.EndedAt));
            Assert.All(ordered.Zip(ordered.Skip(1)), p => Assert.True(p.First.EndedAt <= p.Second.At,
                $"{byOperator.Key} was given {p.Second.CustomerCallSid} at {p.Second.At:HH:mm:ss} while still with {p.First.CustomerCallSid} (until {p.First.EndedAt:HH:mm:ss})"));
        }

        // A customer is called back by one operator at a time, and never again once reached (each caller has a number of their own).
        foreach (var customer in twilio.GroundTruth.Callbacks.GroupBy(d => d.To))
        {
            var dials = customer.OrderBy(d => d.At).ToList();
            Assert.All(dials.Zip(dials.Skip(1)), p => Assert.True(p.First.EndedAt <= p.Second.At && !p.First.Connected,
                $"{customer.Key}: dialed by {p.Second.OperatorCallSid} at {p.Second.At:HH:mm:ss} after {p.First.OperatorCallSid}'s dial ({p.First.Result}, ended {p.First.EndedAt:HH:mm:ss})"));
        }

        Assert.All(twilio.GroundTruth.Callbacks, d => Assert.NotNull(d.RequestCallSid));

        // Every customer reached an operator who serves their queue: a callback's, the queue its request left.
        Assert.All(fromQueues, c => Assert.Contains(c.Queue!, skills[c.Operator]));
        Assert.All(callbacks, c => Assert.Contains(truths[c.Callback!.RequestCallSid!].Queue!, skills[c.Operator]));
        foreach (var queue in new[] { "support", "vip", "english" })
        {
            Assert.True(fromQueues.Count(c => c.Queue == queue) > 5, $"{queue}: {fromQueues.Count(c => c.Queue == queue)} callers answered");
        }

        // The history says what Twilio saw: each queue's visits, the pickups, and each callback attempt with its operator's call.
        var visits = await servers.History.QueueVisitsAsync(default);
        foreach (var queue in new[] { "support", "vip", "english" })
        {
            Assert.Equal(
                truths.Values.Where(t => t is { IsOperator: false, Queued: true } && t.Queue == queue)
                    .Select(t => (t.CallSid, t.QueueResult, t.WaitSeconds, t.AnsweredByCallSid)).Order(),
                visits.Where(v => v.QueueName.Trim() == queue).Select(v => (v.CallSid, v.Result, (int?)v.WaitSeconds, v.OperatorCallSid)).Order());
        }

        Assert.Equal(summary.Offered, visits.Count);
        var events = await servers.History.EventsAsync(default);
        Assert.Equal(fromQueues.Select(c => c.CustomerCallSid).Order(), events.Where(e => e.Kind == "pickup").Select(e => e.CallSid).Order());
        var attempts = await servers.Database.ReadAsync(c => c.QueryAsync<(string Number, string OperatorCallSid)>(
            "SELECT c.number, a.operator_call_sid FROM callback_attempts a JOIN callbacks c ON c.id = a.callback_id"), default);
        Assert.Equal(twilio.GroundTruth.Callbacks.Select(d => (d.To, d.OperatorCallSid)).Order(), attempts.Select(a => (a.Number.Trim(), a.OperatorCallSid.Trim())).Order());

        // The priority queue's callers waited least.
        Assert.True(twilio.SummaryOf("vip").AverageSpeedOfAnswerSeconds < twilio.SummaryOf("support").AverageSpeedOfAnswerSeconds,
            $"vip {twilio.SummaryOf("vip").AverageSpeedOfAnswerSeconds} s, support {twilio.SummaryOf("support").AverageSpeedOfAnswerSeconds} s");
    }
}
