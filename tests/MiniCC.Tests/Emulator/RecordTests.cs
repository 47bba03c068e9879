using MiniCC.Emulator;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>&lt;Record&gt; as Twilio documents it: the beep, what ends a message, the action request and the recording's status callback.</summary>
public sealed class RecordTests
{
    private const string RecordUrlPattern = "^https://api.twilio.com/2010-04-01/Accounts/AC[0-9a-f]{32}/Recordings/RE[0-9a-f]{32}$";

    /// <summary>A voicemail as MiniCC's contract words it, with <paramref name="attributes"/> replacing the defaults.</summary>
    private static (TwilioEmulator Twilio, FakeApp App) Voicemail(string attributes = "maxLength=\"60\" timeout=\"5\" finishOnKey=\"#\"") => EmulatorFor(a => a
        .Twiml("/voice/incoming",
            $"<Say>Leave a message.</Say><Record action=\"/recorded\" {attributes} playBeep=\"true\" recordingStatusCallback=\"/recording-status\" " +
            "recordingStatusCallbackMethod=\"POST\" recordingStatusCallbackEvent=\"completed absent\"/><Say>Nothing recorded.</Say><Hangup/>")
        .Twiml("/recorded", "<Say>Thank you.</Say><Hangup/>"));

    private static CallerScript Says(int seconds, MessageEnd end = MessageEnd.Key) => new() { Message = TimeSpan.FromSeconds(seconds), MessageEnds = end };

    [Fact]
    public async Task AMessageEndedWithTheFinishKeyIsPostedToTheActionWhoseTwimlGoesOnThenItsStatusIsCalledBack()
    {
        var (twilio, app) = Voicemail();
        var call = await twilio.DialAsync(Customer, Says(12));
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(["Leave a message.", EmulatedCall.Beep, "Thank you."], call.Heard);
        var action = app.FormsTo("/recorded").Single();
        Assert.Matches(RecordUrlPattern, action["RecordingUrl"]);
        Assert.Equal(("12", "#", call.CallSid, "in-progress"), (action["RecordingDuration"], action["Digits"], action["CallSid"], action["CallStatus"]));
        Assert.False(action.ContainsKey("RecordingSid")); // Twilio lists it for the status callback only

        var status = app.FormsTo("/recording-status").Single();
        var sid = action["RecordingUrl"][^34..];
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["AccountSid"] = twilio.Options.AccountSid, ["CallSid"] = call.CallSid, ["RecordingSid"] = sid, ["RecordingUrl"] = action["RecordingUrl"],
                ["RecordingStatus"] = "completed", ["RecordingDuration"] = "12", ["RecordingChannels"] = "1", ["RecordingSource"] = "RecordVerb",
                ["RecordingStartTime"] = twilio.Options.Start.AddSeconds(3).ToString("ddd, dd MMM yyyy HH:mm:ss +0000", System.Globalization.CultureInfo.InvariantCulture),
            },
            status);
        var paths = app.Paths.ToList();
        Assert.True(paths.IndexOf("/recorded") < paths.IndexOf("/recording-status"), "the status callback follows the action");
        Assert.Equal((sid, call.CallSid, 12), (twilio.Recordings[sid].Sid, twilio.Recordings[sid].CallSid, twilio.Recordings[sid].DurationSeconds));
        Assert.Equal(CallState.Completed, call.State);
    }

    [Fact]
    public async Task AHangUpEndsTheMessageTheActionIsToldHangupAndItsTwimlIsIgnored()
    {
        var (twilio, app) = Voicemail();
        var call = await twilio.DialAsync(Customer, Says(20, MessageEnd.HangUp));
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));

        var action = app.FormsTo("/recorded").Single();
        Assert.Equal(("20", "hangup", "completed"), (action["RecordingDuration"], action["Digits"], action["CallStatus"]));
        Assert.DoesNotContain("Thank you.", call.Heard);
        Assert.Equal("completed", app.FormsTo("/recording-status").Single()["RecordingStatus"]);
    }

    [Fact]
    public async Task SilenceEndsTheMessageAfterTheTimeoutAndIsTrimmedUnlessAskedNotTo()
    {
        var (twilio, app) = Voicemail();
        var call = await twilio.DialAsync(Customer, Says(8, MessageEnd.Silence));
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(3 + 8 + 4));
        Assert.Empty(app.FormsTo("/recorded")); // 4 s of silence: still recording
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(("8", ""), (app.FormsTo("/recorded").Single()["RecordingDuration"], app.FormsTo("/recorded").Single()["Digits"]));
        Assert.Contains("Thank you.", call.Heard);

        var (untrimmed, app2) = Voicemail("timeout=\"5\" trim=\"do-not-trim\"");
        await untrimmed.DialAsync(Customer, Says(8, MessageEnd.Silence));
        await untrimmed.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal("13", app2.FormsTo("/recorded").Single()["RecordingDuration"]);
    }

    [Fact]
    public async Task MaxLengthCutsALongMessage()
    {
        var (twilio, app) = Voicemail("maxLength=\"30\" finishOnKey=\"#\"");
        await twilio.DialAsync(Customer, Says(90));
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(("30", ""), (app.FormsTo("/recorded").Single()["RecordingDuration"], app.FormsTo("/recorded").Single()["Digits"]));
    }

    [Fact]
    public async Task NothingSaidStoresNoRecordingRequestsNoActionAndGoesOnAfterTheRecord()
    {
        var (twilio, app) = Voicemail();
        var call = await twilio.DialAsync(Customer, new CallerScript());
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Empty(app.FormsTo("/recorded"));
        Assert.Equal(["Leave a message.", EmulatedCall.Beep, "Nothing recorded."], call.Heard);
        var status = app.FormsTo("/recording-status").Single();
        Assert.Equal(("absent", "0"), (status["RecordingStatus"], status["RecordingDuration"]));
        Assert.Empty(twilio.Recordings);
        Assert.Equal(CallState.Completed, call.State);
    }

    [Fact]
    public async Task OnlyAKeyOfFinishOnKeyEndsTheMessageAndWithoutAnActionTheSameDocumentIsAskedAgain()
    {
        var (twilio, app) = EmulatorFor(a => a
            .On("/voice/incoming", r => Xml(r.Content!.ReadAsStringAsync().Result.Contains("RecordingUrl", StringComparison.Ordinal)
                ? "<Say>Got it.</Say>"
                : "<Record finishOnKey=\"#\" playBeep=\"false\" timeout=\"0\"/>")));
        var call = await twilio.DialAsync(Customer); // a caller without a script speaks for EmulatorOptions.RecordDuration
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(4));
        await call.PressAsync("1");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        await call.PressAsync("#");

        var again = app.FormsTo("/voice/incoming").Last();
        Assert.Equal(("6", "#"), (again["RecordingDuration"], again["Digits"]));
        Assert.Equal(["Got it."], call.Heard);
    }

    [Fact]
    public async Task ARecordIsNotAllowedInTheWaitMusic()
    {
        var (twilio, _) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Enqueue waitUrl=\"/wait\">q</Enqueue>")
            .Twiml("/wait", "<Record/>"));
        await twilio.DialAsync(Customer);
        Assert.Equal(12200, Assert.Single(twilio.ApplicationErrors).Code);
    }
}
