using System.Xml.Linq;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Twilio.Tests;

/// <summary>The <c>&lt;Record&gt;</c> verb as Twilio documents it, and the recording status callback's own parameter.</summary>
public sealed class RecordTests
{
    [Fact]
    public void RecordWritesEveryAttributeItWasGiven()
    {
        var root = XDocument.Parse(new VoiceResponse()
            .Say("after the beep")
            .Record(new RecordOptions
            {
                Action = "/voice/voicemail-recorded?reason=closed", Method = "POST", MaxLength = 120, Timeout = 5, FinishOnKey = "#",
                PlayBeep = true, RecordingStatusCallback = "/voice/recording-status", RecordingStatusCallbackMethod = "POST",
                RecordingStatusCallbackEvent = "completed absent",
            })
            .Hangup().ToString()).Root!;
        Assert.Equal(["Say", "Record", "Hangup"], root.Elements().Select(e => e.Name.LocalName));
        var record = root.Element("Record")!;
        Assert.Empty(record.Nodes());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["action"] = "/voice/voicemail-recorded?reason=closed", ["method"] = "POST", ["maxLength"] = "120", ["timeout"] = "5",
                ["finishOnKey"] = "#", ["playBeep"] = "true", ["recordingStatusCallback"] = "/voice/recording-status",
                ["recordingStatusCallbackMethod"] = "POST", ["recordingStatusCallbackEvent"] = "completed absent",
            },
            record.Attributes().ToDictionary(a => a.Name.LocalName, a => a.Value));
    }

    [Fact]
    public void UnsetRecordOptionsAreLeftOut() =>
        Assert.Empty(XDocument.Parse(new VoiceResponse().Record(new RecordOptions()).ToString()).Root!.Element("Record")!.Attributes());

    [Theory]
    [InlineData(1)]
    [InlineData(14401)]
    public void AMaxLengthOutsideTwiliosLimitsIsRefused(int seconds) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceResponse().Record(new RecordOptions { MaxLength = seconds }));

    [Theory]
    [InlineData("completed,absent")]
    [InlineData("done")]
    [InlineData("")]
    public void AStatusCallbackEventTwilioDoesNotKnowIsRefused(string events) =>
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Record(new RecordOptions { RecordingStatusCallbackEvent = events }));

    [Fact]
    public void AFinishKeyThatIsNoPhoneKeyIsRefused() =>
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Record(new RecordOptions { FinishOnKey = "#a" }));

    [Theory]
    [InlineData("completed", "completed")]
    [InlineData("absent", "absent")]
    [InlineData("in progress", null)]
    public void TheRecordingStatusIsReadAsAWord(string sent, string? read)
    {
        var parsed = VoiceWebhook.Parse([
            KeyValuePair.Create("CallSid", (IReadOnlyList<string?>)["CA" + new string('a', 32)]),
            KeyValuePair.Create("RecordingStatus", (IReadOnlyList<string?>)[sent]),
        ]);
        Assert.Equal(read, parsed.Webhook!.RecordingStatus);
        Assert.Equal(read is null, parsed.Webhook.Ignored.Contains("RecordingStatus"));
    }
}
