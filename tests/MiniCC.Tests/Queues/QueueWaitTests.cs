using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Queues;

/// <summary>A queue's own settings in its wait document, over HTTP as Twilio asks for it (<c>/voice/wait?queue=…</c>).</summary>
public sealed class QueueWaitTests : IDisposable
{
    private readonly MiniCCFactory _app = new(new()
    {
        ["MiniCC:Voicemail:Enabled"] = "true",
        ["MiniCC:Voicemail:MaxWaitSeconds"] = "600",
        ["MiniCC:Queues:0:Name"] = "support",
        ["MiniCC:Queues:1:Name"] = "sales",
        ["MiniCC:Queues:1:MaxWaitSeconds"] = "120",
        ["MiniCC:Queues:1:HoldMusicUrl"] = "https://example.com/sales.mp3",
        ["MiniCC:Queues:1:Announcement:0:Ja"] = "営業担当の窓口です。",
        ["MiniCC:Queues:1:Announcement:0:En"] = "This is the sales team.",
    });

    public void Dispose() => _app.Dispose();

    [Fact]
    public async Task AQueueSaysItsAnnouncementPlaysItsMusicAndOffersVoicemailAtItsOwnLongestWait()
    {
        var sid = NewCallSid();
        var waiting = await _app.TwimlAsync("/voice/wait?queue=sales", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "30")]));
        var gather = waiting.Element("Gather")!;
        Assert.Contains(gather.Elements("Say"), s => s.Value == "営業担当の窓口です。");
        Assert.Equal("https://example.com/sales.mp3", gather.Element("Play")!.Value);
        Assert.EndsWith("&queue=sales", gather.Attribute("action")!.Value, StringComparison.Ordinal);

        // At two minutes, this queue's longest wait (the center's is ten): out of the queue, to leave a message.
        var longest = await _app.TwimlAsync("/voice/wait?queue=sales", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "120")]));
        Assert.Equal(["Say", "Leave"], Verbs(longest));

        // The other queue keeps the center's.
        var other = await _app.TwimlAsync("/voice/wait", Call(NewCallSid(), extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "120")]));
        Assert.NotNull(other.Element("Gather"));
        Assert.DoesNotContain(other.Descendants("Say"), s => s.Value == "営業担当の窓口です。");
    }
}
