using Microsoft.Data.Sqlite;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests;

/// <summary>A database failure never drops a caller.</summary>
public sealed class ResilienceTests : IDisposable
{
    private readonly MiniCCFactory _app = new();

    public void Dispose() => _app.Dispose();

    private void BreakTheDatabase()
    {
        using var db = new SqliteConnection($"Data Source={_app.DatabasePath}");
        db.Open();
        using var cmd = db.CreateCommand();
        cmd.CommandText = "DROP TABLE operators; DROP TABLE call_events;";
        cmd.ExecuteNonQuery();
    }

    [Fact]
    public async Task WhenTheOperatorLookupFailsTheCallerIsTreatedAsACustomer()
    {
        await _app.Operators.AddAsync(OperatorPhone, null, default);
        BreakTheDatabase();

        var root = await _app.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone));

        Assert.Equal(["Gather", "Redirect"], root.Elements().Select(e => e.Name.LocalName));
        Assert.Contains(_app.Logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) && l.Contains("Operator lookup failed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WhenRecordingFailsEveryFlowStillAnswersItsTwiml()
    {
        _ = await _app.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        BreakTheDatabase();
        var sid = NewCallSid();

        Assert.Equal("Enqueue", (await _app.TwimlAsync("/voice/menu", Call(sid, extra: ("Digits", "1")))).Elements().Last().Name.LocalName);
        Assert.Equal("Enqueue", (await _app.TwimlAsync("/voice/no-input", Call(sid))).Elements().Last().Name.LocalName);
        Assert.Equal("Play", (await _app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid)]))).Elements().Last().Name.LocalName);
        Assert.Equal("Say", (await _app.TwimlAsync("/voice/whisper", Call(sid, extra: [("QueueSid", QueueSid), ("DequeingCallSid", NewCallSid())]))).Elements().Last().Name.LocalName);
        Assert.Equal("Hangup", (await _app.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid)]))).Elements().Last().Name.LocalName);
        using var status = await _app.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "5")));
        Assert.Equal(System.Net.HttpStatusCode.NoContent, status.StatusCode);

        Assert.Contains(_app.Logs.Lines, l => l.Contains("Could not record", StringComparison.Ordinal));
    }
}
