using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

/// <summary>The hold-music loop: Twilio asks for the wait document again and again; only a visit's first request is written.</summary>
public sealed class WaitLoopTests : IDisposable
{
    private readonly MiniCCFactory _app = new();

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task OnlyTheFirstWaitRequestOfAVisitIsWritten()
    {
        var sid = NewCallSid();
        for (var loop = 0; loop < 5; loop++)
        {
            var root = await _app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", (loop * 30).ToString(System.Globalization.CultureInfo.InvariantCulture))]));
            Assert.Equal("Play", Verbs(root)[^1]);
            _app.Clock.Advance(TimeSpan.FromSeconds(30));
        }

        Assert.Single(await _app.History.EventsAsync(default), e => e.Kind == "waiting");
        Assert.Equal(MiniCCFactory.StartMs, Assert.Single(await _app.History.QueueVisitsAsync(default)).EnteredAt);
        // No write was even tried for the later requests (a tried one would be logged as an ignored replay).
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains("Replayed waiting", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ACallerPutBackInTheQueueHasTheReEntryWritten()
    {
        var sid = NewCallSid();
        await _app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        await _app.TwimlAsync("/voice/wait?entry=2", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));

        // The re-entry's wait is tried (and stored once under the visit's key: an ignored replay).
        Assert.Contains(_app.Logs.Lines, l => l.Contains("Replayed waiting", StringComparison.Ordinal));
    }
}
