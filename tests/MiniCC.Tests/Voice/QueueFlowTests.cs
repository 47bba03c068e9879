using System.Text.Json;
using Dapper;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

public sealed class SqliteQueueFlowTests() : QueueFlowTests("sqlite");

public sealed class MySqlQueueFlowTests() : QueueFlowTests("mysql");

public sealed class PostgresQueueFlowTests() : QueueFlowTests("postgres");

/// <summary>The queue over HTTP: waiting, the operator loop, pickup, every way out, and the call's end; once per database provider.</summary>
public abstract class QueueFlowTests(string provider) : ProviderTests(provider)
{
    [SkippableFact]
    public async Task TheWaitMusicAnnouncesThePlaceInLineThenPlaysHoldMusic()
    {
        var sid = NewCallSid();
        var root = await App.TwimlAsync("/voice/wait", Call(sid, extra:
            [("QueuePosition", "3"), ("QueueSid", QueueSid), ("QueueTime", "4"), ("AvgQueueTime", "20"), ("CurrentQueueSize", "3"), ("MaxQueueSize", "100")]));

        Assert.Equal(["Pause", "Say", "Play"], Verbs(root));
        Assert.Equal("3", root.Element("Pause")!.Attribute("length")!.Value);
        Assert.Contains("3番目", root.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.StartsWith("http", root.Element("Play")!.Value, StringComparison.Ordinal);

        var visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Equal(sid, visit.CallSid);
        Assert.Equal(QueueSid, visit.QueueSid);
        Assert.Equal(MiniCCFactory.StartMs - 4000, visit.EnteredAt);
        Assert.Null(visit.ExitedAt);
    }

    [SkippableFact]
    public async Task TheWaitMusicIsRecordedOncePerVisitHoweverOftenTwilioAsksForIt()
    {
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        App.Clock.Advance(TimeSpan.FromMinutes(3));
        await App.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "180")]));
        var visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Equal(MiniCCFactory.StartMs, visit.EnteredAt);
        Assert.Single(await App.History.EventsAsync(default), e => e.Kind == "waiting");
    }

    [SkippableTheory]
    [InlineData("3<Hangup/>")]
    [InlineData("-1")]
    [InlineData("0")]
    [InlineData("")]
    [InlineData("三")]
    public async Task TheWaitMusicNeverSpeaksAPositionThatIsNotAPositiveNumber(string position)
    {
        var root = await App.TwimlAsync("/voice/wait", Call(NewCallSid(), extra: [("QueuePosition", position), ("QueueSid", QueueSid)]));
        Assert.Equal(["Pause", "Play"], Verbs(root));
        Assert.DoesNotContain("Hangup", root.ToString(), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task TheOperatorLoopDialsTheQueueAndComesBack()
    {
        var sid = await App.OperatorCallsInAsync();
        var root = await App.TwimlAsync("/voice/operator", Call(sid, from: OperatorPhone));
        Assert.Equal(["Gather", "Dial", "Redirect"], Verbs(root));
        Assert.Equal(("/voice/operator-key", "1", "1"), (root.Element("Gather")!.Attribute("action")!.Value,
            root.Element("Gather")!.Attribute("numDigits")!.Value, root.Element("Gather")!.Attribute("timeout")!.Value));
        Assert.Contains("9", root.Element("Gather")!.Element("Say")!.Value, StringComparison.Ordinal);
        var dial = root.Element("Dial")!;
        Assert.Equal("60", dial.Attribute("timeout")!.Value);
        Assert.Equal("/voice/operator", dial.Attribute("action")!.Value);
        var queue = Assert.Single(dial.Elements());
        Assert.Equal("Queue", queue.Name.LocalName);
        Assert.Equal("MiniCC", queue.Value);
        Assert.Equal("/voice/whisper", queue.Attribute("url")!.Value);
        Assert.Equal("/voice/operator", root.Element("Redirect")!.Value);
    }

    [SkippableFact]
    public async Task APickupIsRecordedWithTheOperatorAndTheCustomerHearsTheGuidance()
    {
        var operatorCall = await App.OperatorCallsInAsync();
        var op = (await App.Operators.FindAsync(OperatorPhone, default))!;
        var customerCall = NewCallSid();
        await App.TwimlAsync("/voice/wait", Call(customerCall, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        App.Clock.Advance(TimeSpan.FromSeconds(30));

        var root = await App.TwimlAsync("/voice/whisper", Call(customerCall, extra:
            [("QueueSid", QueueSid), ("QueueTime", "30"), ("DequeingCallSid", operatorCall)]));

        Assert.Equal(["Say"], Verbs(root));
        var visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Equal(MiniCCFactory.StartMs + 30_000, visit.AnsweredAt);
        Assert.Equal(30, visit.WaitSeconds);
        Assert.Equal(operatorCall, visit.OperatorCallSid);
        Assert.Equal(op.Id, visit.OperatorId);
        var pickup = Assert.Single(await App.History.EventsAsync(default), e => e.Kind == "pickup");
        Assert.Equal(operatorCall, pickup.DequeingCallSid);
        Assert.Equal(30, pickup.QueueTime);
    }

    [SkippableFact]
    public async Task ABridgedQueueExitRecordsTheTalkTimeAndThanksTheCaller()
    {
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/whisper", Call(sid, extra: [("QueueSid", QueueSid), ("QueueTime", "12"), ("DequeingCallSid", NewCallSid())]));
        App.Clock.Advance(TimeSpan.FromSeconds(125));

        var root = await App.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "12")]));

        Assert.Equal(["Say", "Hangup"], Verbs(root));
        var visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Equal("bridged", visit.Result);
        Assert.Equal(125, visit.TalkSeconds);
        Assert.Equal(12, visit.WaitSeconds);
        Assert.Equal(MiniCCFactory.StartMs - 12_000, visit.EnteredAt);
    }

    [SkippableFact]
    public async Task AnAbandonedCallIsRecordedAsHangupWithItsWait()
    {
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "2"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        App.Clock.Advance(TimeSpan.FromSeconds(47));

        var root = await App.TwimlAsync("/voice/queue-exit", Call(sid, status: "completed", extra: [("QueueResult", "hangup"), ("QueueSid", QueueSid), ("QueueTime", "47")]));

        Assert.Empty(root.Elements());
        var visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Equal("hangup", visit.Result);
        Assert.Null(visit.AnsweredAt);
        Assert.Null(visit.TalkSeconds);
        Assert.Equal(47, visit.WaitSeconds);
        Assert.Equal(MiniCCFactory.StartMs + 47_000, visit.ExitedAt);
    }

    [SkippableFact]
    public async Task AFullQueueTellsTheCallerToCallBackLater()
    {
        var root = await App.TwimlAsync("/voice/queue-exit", Call(NewCallSid(), extra: ("QueueResult", "queue-full")));
        Assert.Equal(["Say", "Hangup"], Verbs(root));
        Assert.Equal("queue-full", Assert.Single(await App.History.QueueVisitsAsync(default)).Result);
    }

    [SkippableFact]
    public async Task ACallerTheQueueFailedHearsAnApologyAndIsPutBackInTheQueueOnce()
    {
        var sid = NewCallSid();
        var op = NewCallSid();
        await App.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        App.Clock.Advance(TimeSpan.FromSeconds(10));

        var again = await App.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", "error"), ("QueueSid", QueueSid), ("QueueTime", "10")]));

        Assert.Equal(["Say", "Enqueue"], Verbs(again));
        var enqueue = again.Element("Enqueue")!;
        Assert.Equal("/voice/queue-exit?entry=2", enqueue.Attribute("action")!.Value);
        Assert.Equal("/voice/wait?entry=2", enqueue.Attribute("waitUrl")!.Value);
        var visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Null(visit.Result); // the visit goes on

        // Back in the queue (QueueTime counts again from 0), answered 20 s later: the wait is the whole 30 s.
        await App.TwimlAsync("/voice/wait?entry=2", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        App.Clock.Advance(TimeSpan.FromSeconds(20));
        await App.TwimlAsync("/voice/whisper", Call(sid, extra: [("QueueSid", QueueSid), ("QueueTime", "20"), ("DequeingCallSid", op)]));
        App.Clock.Advance(TimeSpan.FromSeconds(60));
        await App.TwimlAsync("/voice/queue-exit?entry=2", Call(sid, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "20")]));

        visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Equal(("bridged", 30L, 60L, op), (visit.Result, visit.WaitSeconds, visit.TalkSeconds, visit.OperatorCallSid));
        Assert.Equal(["error", "bridged"], (await App.History.EventsAsync(default)).Where(e => e.Kind == "queue_exit").Select(e => e.QueueResult));
    }

    [SkippableFact]
    public async Task ACallerTheQueueFailsTwiceIsAskedToCallAgainAndTheVisitEndsAsAnError()
    {
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        await App.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", "system-error"), ("QueueSid", QueueSid), ("QueueTime", "3")]));
        App.Clock.Advance(TimeSpan.FromSeconds(15));

        var last = await App.TwimlAsync("/voice/queue-exit?entry=2", Call(sid, extra: [("QueueResult", "error"), ("QueueSid", QueueSid), ("QueueTime", "12")]));

        Assert.Equal(["Say", "Hangup"], Verbs(last));
        var visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Equal(("error", 15L), (visit.Result, visit.WaitSeconds));
    }

    [SkippableFact]
    public async Task TheStatusCallbackRecordsTheFinishedCallWithItsRecording()
    {
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));
        App.Clock.Advance(TimeSpan.FromSeconds(200));

        using var response = await App.PostAsync("/voice/status", Call(sid, status: "completed", extra:
            [("CallDuration", "200"), ("RecordingUrl", "https://api.twilio.com/rec/RE1"), ("RecordingSid", "RE" + new string('1', 32)), ("RecordingDuration", "190"),
             ("ForwardedFrom", "+81311112222"), ("CallerName", "YAMADA")]));

        Assert.Equal(System.Net.HttpStatusCode.NoContent, response.StatusCode);
        var call = Assert.Single(await App.History.CallsAsync(default));
        Assert.Equal("completed", call.FinalStatus);
        Assert.Equal(200, call.DurationSeconds);
        Assert.Equal(MiniCCFactory.StartMs + 200_000, call.EndedAt);
        Assert.Equal("RE" + new string('1', 32), call.RecordingSid);

        var ev = Assert.Single(await App.History.EventsAsync(default), e => e.Kind == "call_end");
        Assert.Equal(200, ev.CallDuration);
        var raw = JsonSerializer.Deserialize<Dictionary<string, string>>(ev.Params)!;
        foreach (var name in new[] { "CallSid", "From", "To", "CallStatus", "ApiVersion", "Direction", "ForwardedFrom", "CallerName", "AccountSid", "RecordingUrl" })
        {
            Assert.True(raw.ContainsKey(name), $"raw parameters keep {name}");
        }
    }

    [SkippableFact]
    public async Task AnOperatorsCallEndingClosesTheirSession()
    {
        await App.Operators.AddAsync(OperatorPhone, null, default);
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/incoming", Call(sid, from: OperatorPhone));
        App.Clock.Advance(TimeSpan.FromHours(2));
        using var _ = await App.PostAsync("/voice/status", Call(sid, from: OperatorPhone, status: "completed", extra: ("CallDuration", "7200")));

        var session = await App.Database.ReadAsync(c => c.QuerySingleAsync<(long StartedAt, long EndedAt)>(
            "SELECT started_at, ended_at FROM operator_sessions"), default);
        Assert.Equal(MiniCCFactory.StartMs, session.StartedAt);
        Assert.Equal(MiniCCFactory.StartMs + 7_200_000, session.EndedAt);
    }

    [SkippableFact]
    public async Task AReplayedCallbackIsStoredOnce()
    {
        var sid = NewCallSid();
        var form = Call(sid, status: "completed", extra: ("CallDuration", "30"));
        for (var i = 0; i < 3; i++)
        {
            using var r = await App.PostAsync("/voice/status", form);
            Assert.Equal(System.Net.HttpStatusCode.NoContent, r.StatusCode);
        }

        var exit = Call(sid, extra: [("QueueResult", "hangup"), ("QueueSid", QueueSid), ("QueueTime", "9")]);
        await App.TwimlAsync("/voice/queue-exit", exit);
        await App.TwimlAsync("/voice/queue-exit", exit);

        var events = await App.History.EventsAsync(default);
        Assert.Single(events, e => e.Kind == "call_end");
        Assert.Single(events, e => e.Kind == "queue_exit");
        Assert.Single(await App.History.QueueVisitsAsync(default));
    }
}
