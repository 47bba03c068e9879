using Dapper;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

/// <summary>A database failure never drops a caller.</summary>
public sealed class SqliteResilienceTests() : ResilienceTests("sqlite");

public sealed class MySqlResilienceTests() : ResilienceTests("mysql");

public sealed class PostgresResilienceTests() : ResilienceTests("postgres");

public abstract class ResilienceTests(string provider) : ProviderTests(provider)
{

    private Task BreakTheDatabase() =>
        App.Database.WriteAsync((c, tx) => c.ExecuteAsync(Provider == "postgres"
            ? "DROP TABLE operator_directory CASCADE; DROP TABLE call_events CASCADE;"
            : "DROP TABLE operator_directory; DROP TABLE call_events;", transaction: tx), default);

    [SkippableFact]
    public async Task WhenTheOperatorLookupFailsTheCallerIsTreatedAsACustomer()
    {
        await App.Operators.AddAsync(OperatorPhone, null, default);
        await BreakTheDatabase();

        var root = await App.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone));

        Assert.Equal(["Gather", "Redirect"], Verbs(root));
        Assert.Contains(App.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("Operator lookup failed", StringComparison.Ordinal));
    }

    [SkippableFact]
    public async Task AnOperatorRecognisedRecentlyIsStillRecognisedWhileTheDatabaseIsAway()
    {
        await App.Operators.AddAsync(OperatorPhone, null, default);
        Assert.Equal("/voice/operator", (await App.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone))).Element("Redirect")!.Value);
        await BreakTheDatabase();
        App.Clock.Advance(TimeSpan.FromMinutes(30));

        var again = await App.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone));
        Assert.Equal("/voice/operator", again.Element("Redirect")!.Value);
        var customer = await App.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        Assert.Equal("Gather", Verbs(customer)[0]);

        App.Clock.Advance(TimeSpan.FromMinutes(31)); // past MiniCC:OperatorCacheMinutes (60)
        var stale = await App.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone));
        Assert.Equal("Gather", Verbs(stale)[0]);
    }

    [SkippableFact]
    public async Task WhenRecordingFailsEveryFlowStillAnswersItsTwiml()
    {
        _ = await App.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        await BreakTheDatabase();
        var sid = NewCallSid();

        Assert.Equal("Enqueue", Verbs(await App.TwimlAsync("/voice/menu", Call(sid, extra: ("Digits", "1"))))[^1]);
        Assert.Equal("Enqueue", Verbs(await App.TwimlAsync("/voice/no-input", Call(sid)))[^1]);
        Assert.Equal("Play", Verbs(await App.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid)])))[^1]);
        Assert.Equal("Say", Verbs(await App.TwimlAsync("/voice/whisper", Call(sid, extra: [("QueueSid", QueueSid), ("DequeingCallSid", NewCallSid())])))[^1]);
        Assert.Equal("Hangup", Verbs(await App.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid)])))[^1]);
        using var status = await App.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "5")));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, status.StatusCode);

        Assert.Contains(App.Logs.Lines, l => l.Contains("Could not record", StringComparison.Ordinal));
    }
}
