using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Operators;
using MiniCC.Storage;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

public sealed class SqliteOperatorLoopTests() : OperatorLoopTests("sqlite");

public sealed class MySqlOperatorLoopTests() : OperatorLoopTests("mysql");

public sealed class PostgresOperatorLoopTests() : OperatorLoopTests("postgres");

/// <summary>The operator loop's states over HTTP, as Twilio requests them: reconciliation, automatic breaks, and who may press its keys.</summary>
public abstract class OperatorLoopTests(string provider) : ProviderTests(provider)
{
    private async Task<CurrentState> StateAsync() =>
        (await App.Services.GetRequiredService<OperatorStateStore>().OfOperatorAsync((await App.Operators.FindAsync(OperatorPhone, default))!.Id, default))!;

    private static string Spoken(XElement root) => string.Concat(root.Descendants("Say").Select(s => s.Value));

    [SkippableFact]
    public async Task AnOperatorWhoseCallIsInTheLoopIsNeverLeftOffline()
    {
        var sid = await App.OperatorCallsInAsync();
        // The database says the call ended (a status callback for the wrong leg, a state from before an outage) …
        using (var ended = await App.PostAsync("/voice/status", Call(sid, from: OperatorPhone, status: "completed")))
        {
            Assert.True(ended.IsSuccessStatusCode);
        }

        Assert.Equal(OperatorStates.Offline, (await StateAsync()).State);

        // … but Twilio asks for the loop on that call: the operator is there, ready, and the contradiction is logged.
        var root = await App.TwimlAsync("/voice/operator", Call(sid, from: OperatorPhone));

        Assert.Equal(["Gather", "Dial", "Redirect"], Verbs(root));
        Assert.Equal((OperatorStates.Ready, "reconciled"), ((await StateAsync()).State, (await StateAsync()).Cause));
        Assert.Contains(App.Logs.Lines, l => l.Contains("reconciled to ready", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task AnOperatorWhoMissesCallersThreeTimesInARowIsPutOnBreak()
    {
        var sid = await App.OperatorCallsInAsync();
        await App.TwimlAsync("/voice/wait", Call(NewCallSid(), extra: [("QueueSid", QueueSid), ("QueueTime", "0"), ("QueuePosition", "1")]));

        XElement root = new("Response");
        for (var miss = 1; miss <= 3; miss++)
        {
            App.Clock.Advance(TimeSpan.FromSeconds(61));
            root = await App.TwimlAsync("/voice/operator", Call(sid, from: OperatorPhone, extra: [("DialCallStatus", "no-answer")]));
            Assert.Equal(miss < 3 ? OperatorStates.Ready : OperatorStates.Break, (await StateAsync()).State);
        }

        Assert.Equal((OperatorStates.Break, OperatorStateOptions.NoAnswer.Key, "auto-pause"),
            ((await StateAsync()).State, (await StateAsync()).Reason, (await StateAsync()).Cause));
        Assert.Equal(["Gather", "Redirect"], Verbs(root));
        Assert.Contains("応答がない状態が続いたため", Spoken(root), StringComparison.Ordinal);
        Assert.Equal("/voice/operator?held=break", root.Element("Redirect")!.Value);
        Assert.Contains(App.Logs.Lines, l => l.Contains("missed callers 3 times in a row", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task AnEmptyQueueIsNoMiss()
    {
        var sid = await App.OperatorCallsInAsync();
        for (var wait = 1; wait <= 5; wait++)
        {
            App.Clock.Advance(TimeSpan.FromSeconds(61));
            await App.TwimlAsync("/voice/operator", Call(sid, from: OperatorPhone, extra: [("DialCallStatus", "no-answer")]));
        }

        Assert.Equal((OperatorStates.Ready, "sign-in"), ((await StateAsync()).State, (await StateAsync()).Cause));
    }

    [SkippableFact]
    public async Task AQuietHoldIsNotAnnouncedAgainButChecksTheStateEachTime()
    {
        var sid = await App.OperatorCallsInAsync();
        var key = await App.TwimlAsync("/voice/operator-key", Call(sid, from: OperatorPhone, extra: [("Digits", "9")]));
        Assert.Equal("/voice/operator-break", key.Element("Gather")!.Attribute("action")!.Value);
        Assert.Equal(4, key.Element("Gather")!.Elements("Say").Count() - 1);
        var chosen = await App.TwimlAsync("/voice/operator-break", Call(sid, from: OperatorPhone, extra: [("Digits", "3")]));
        Assert.Equal("/voice/operator", chosen.Element("Redirect")!.Value);
        Assert.Equal((OperatorStates.Break, "meeting"), ((await StateAsync()).State, (await StateAsync()).Reason));

        var first = await App.TwimlAsync("/voice/operator", Call(sid, from: OperatorPhone));
        var again = await App.TwimlAsync("/voice/operator?held=break", Call(sid, from: OperatorPhone));

        Assert.Contains("休憩中です", Spoken(first), StringComparison.Ordinal);
        Assert.Equal("", Spoken(again));
        Assert.Equal(["Gather", "Redirect"], Verbs(again));
        Assert.Equal("10", again.Element("Gather")!.Attribute("timeout")!.Value);
    }

    [SkippableTheory]
    [InlineData("/voice/operator-key", "1")]
    [InlineData("/voice/operator-key", "9")]
    [InlineData("/voice/operator-break", "1")]
    public async Task ACustomerCannotUseTheOperatorsKeys(string path, string digits)
    {
        await App.OperatorCallsInAsync();
        var customer = NewCallSid();
        await App.TwimlAsync("/voice/incoming", Call(customer, status: "ringing"));

        var root = await App.TwimlAsync(path, Call(customer, extra: [("Digits", digits)]));
        var loop = await App.TwimlAsync(root.Element("Redirect")!.Value, Call(customer));

        Assert.Equal(["Redirect"], Verbs(root));
        Assert.Equal("/voice/incoming", loop.Element("Redirect")!.Value);
        var rows = await App.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM operator_states WHERE call_sid = @customer", new { customer }), default);
        Assert.Equal(0, rows);
    }
}
