using System.Globalization;
using System.Xml.Linq;
using Dapper;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

public sealed class SqliteCallbackClaimTests() : CallbackClaimTests("sqlite");

public sealed class MySqlCallbackClaimTests() : CallbackClaimTests("mysql");

public sealed class PostgresCallbackClaimTests() : CallbackClaimTests("postgres");

/// <summary>
/// Never twice: two instances on one database, an operator on each, their loops asking at the same moment, again and
/// again. Each callback is dialed by exactly one of them.
/// </summary>
public abstract class CallbackClaimTests(string provider)
{
    private static readonly Dictionary<string, string?> Settings = new()
    {
        ["MiniCC:Callbacks:CallerId"] = "+81501234567",
        ["MiniCC:OperatorStates:WrapUpSeconds"] = "0",
    };

    [SkippableFact]
    public async Task TwoOperatorsOnTwoInstancesReadyAtTheSameMomentDialEachCallbackOnce()
    {
        using var instances = new RealTimeInstances(provider);
        var a = instances.Start(settings: Settings);
        var b = instances.Start(sameDatabaseAs: a, settings: Settings);
        var numbers = Enumerable.Range(0, 8).Select(i => "+8190" + (20000000 + i).ToString(CultureInfo.InvariantCulture)).ToList();
        foreach (var number in numbers)
        {
            // Asked for from the no-operator choice: 1 confirms the caller ID, and the call ends.
            var since = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            var answer = await a.TwimlAsync($"/voice/callback-number?at=menu&since={since}", Call(NewCallSid(), number, "in-progress", ("Digits", "1")));
            Assert.NotNull(answer.Element("Hangup"));
        }

        await a.Operators.AddAsync(OperatorPhone, "Sato", default);
        await a.Operators.AddAsync(SecondOperatorPhone, "Suzuki", default);
        var legA = NewCallSid();
        var legB = NewCallSid();
        await a.TwimlAsync("/voice/incoming", Call(legA, from: OperatorPhone));
        await b.TwimlAsync("/voice/incoming", Call(legB, from: SecondOperatorPhone));

        var dialed = new List<string>();
        for (var round = 0; round < numbers.Count; round++)
        {
            var answers = await Task.WhenAll(a.TwimlAsync("/voice/operator", Call(legA, from: OperatorPhone)),
                b.TwimlAsync("/voice/operator", Call(legB, from: SecondOperatorPhone)));
            var calls = answers.Select(Dialed).ToList();
            foreach (var (answer, leg, app) in new[] { (answers[0], legA, a), (answers[1], legB, b) })
            {
                if (Dialed(answer) is { } number)
                {
                    dialed.Add(number);
                    var action = answer.Element("Dial")!.Attribute("action")!.Value;
                    await app.TwimlAsync(action, Call(leg, leg == legA ? OperatorPhone : SecondOperatorPhone, "in-progress", ("DialCallStatus", "completed"),
                        ("DialCallSid", NewCallSid()), ("DialCallDuration", "30")));
                }
            }

            if (calls.All(c => c is null))
            {
                break;
            }
        }

        Assert.Equal(numbers.Order(), dialed.Order());
        var rows = await a.Database.ReadAsync(async c =>
            (await c.QueryAsync<(string, long)>("SELECT status, attempts FROM callbacks")).ToList(), default);
        Assert.All(rows, r => Assert.Equal(("completed", 1L), r));
        var attempts = await a.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM callback_attempts"), default);
        Assert.Equal(numbers.Count, attempts);
    }

    /// <summary>The number a loop's answer dials, or null when it waits for a caller in the queue.</summary>
    private static string? Dialed(XElement answer) => answer.Element("Dial")?.Element("Number")?.Value;
}
