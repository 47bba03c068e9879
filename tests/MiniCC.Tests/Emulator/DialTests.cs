using MiniCC.Emulator;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>What the &lt;Dial&gt; action is told (DialCallStatus, DialCallSid, DialCallDuration, DialBridged) for a queue and a number, and a leg's own status callback.</summary>
public sealed class DialTests
{
    private const string Phone = "+819077778888";

    private static Dictionary<string, string> DialAction(FakeApp app) => app.FormsTo("/after-dial").Single();

    [Fact]
    public async Task AConnectedQueueCallReportsTheCallerAsDialCallSidWithTheTimeFromThePickup()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Incoming("<Dial action=\"/after-dial\"><Queue url=\"/whisper\">q</Queue></Dial>",
                "<Enqueue waitUrl=\"/wait\">q</Enqueue>")
            .Twiml("/wait", "<Play>https://example.com/music.mp3</Play>")
            .Twiml("/whisper", "<Say>connecting</Say>")
            .Twiml("/after-dial", "<Pause length=\"60\"/>"));
        var customer = await twilio.DialAsync(Customer);
        var op = await twilio.DialAsync("+81909990000");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(40));
        await customer.HangUpAsync();

        var action = DialAction(app);
        Assert.Equal(("completed", customer.CallSid, "true", "40"),
            (action["DialCallStatus"], action["DialCallSid"], action["DialBridged"], action["DialCallDuration"]));
        Assert.Matches("^QU[0-9a-f]{32}$", action["QueueSid"]);
        Assert.Equal(CallState.InProgress, op.State);
    }

    [Fact]
    public async Task AnEmptyQueuesTimeoutIsNoAnswerWithNoCallToName()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Dial action=\"/after-dial\" timeout=\"20\"><Queue>q</Queue></Dial>")
            .Twiml("/after-dial", "<Hangup/>"));
        await twilio.DialAsync("+81909990000");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(19));
        Assert.Empty(app.FormsTo("/after-dial"));
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(1));

        var action = DialAction(app);
        Assert.Equal(("no-answer", "false", "0"), (action["DialCallStatus"], action["DialBridged"], action["DialCallDuration"]));
        Assert.False(action.ContainsKey("DialCallSid"));
    }

    [Fact]
    public async Task ANumberNobodyAnswersRingsUntilTheTimeoutAndReportsItsLeg()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", $"<Dial action=\"/after-dial\" timeout=\"25\">{Phone}</Dial>")
            .Twiml("/after-dial", "<Hangup/>"));
        var call = await twilio.DialAsync(Customer);
        Assert.Equal(CallState.Dialing, call.State);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(25));

        var action = DialAction(app);
        Assert.Equal(("no-answer", "false", "0"), (action["DialCallStatus"], action["DialBridged"], action["DialCallDuration"]));
        Assert.Matches("^CA[0-9a-f]{32}$", action["DialCallSid"]);
        Assert.NotEqual(call.CallSid, action["DialCallSid"]);
    }

    [Fact]
    public async Task APhoneThatAnswersTalksUntilItHangsUpAndTheDialReportsItsLegAndTalkTime()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", $"<Dial action=\"/after-dial\" callerId=\"{Number}\"><Number>{Phone}</Number></Dial>")
            .Twiml("/after-dial", "<Say>The other side hung up.</Say>"));
        var phone = twilio.RegisterPhone(Phone);
        var call = await twilio.DialAsync(Customer);
        var ringing = Assert.IsType<IncomingCall>(phone.Ringing);
        Assert.Equal((Number, Phone, "outbound-dial", call), (ringing.Call.From, ringing.Call.To, ringing.Call.Direction, ringing.Call.Parent));

        var leg = await ringing.AcceptAsync();
        Assert.Equal((CallState.Talking, CallState.Talking, leg, call), (call.State, leg.State, call.ConnectedTo, leg.ConnectedTo));
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(42));
        await leg.HangUpAsync();

        var action = DialAction(app);
        Assert.Equal(("completed", leg.CallSid, "true", "42"),
            (action["DialCallStatus"], action["DialCallSid"], action["DialBridged"], action["DialCallDuration"]));
        Assert.Contains("The other side hung up.", call.Heard);
        Assert.Equal("closed", ringing.Status);
    }

    [Fact]
    public async Task APhoneThatRejectsTheCallIsBusy()
    {
        var (twilio, app) = EmulatorFor(a => a.Twiml("/voice/incoming", $"<Dial action=\"/after-dial\">{Phone}</Dial>"));
        var phone = twilio.RegisterPhone(Phone);
        await twilio.DialAsync(Customer);
        await phone.Ringing!.RejectAsync();
        Assert.Equal(("busy", "false"), (DialAction(app)["DialCallStatus"], DialAction(app)["DialBridged"]));
    }

    [Fact]
    public async Task WhoeverHangsUpFirstTheOtherSideEndsWithoutADialAction()
    {
        var (twilio, app) = EmulatorFor(a => a.Twiml("/voice/incoming", $"<Dial action=\"/after-dial\">{Phone}</Dial>"));
        var phone = twilio.RegisterPhone(Phone);
        var call = await twilio.DialAsync(Customer);
        var leg = await phone.Ringing!.AcceptAsync();
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        await call.HangUpAsync();
        Assert.Equal((CallState.Completed, CallState.Completed), (call.State, leg.State));
        Assert.Empty(app.FormsTo("/after-dial")); // the caller is gone: nothing to continue
    }

    [Fact]
    public async Task ANounsStatusCallbackReportsTheEventsItAsksForAndACancelledLeg()
    {
        var (twilio, app) = EmulatorFor(a => a.Twiml("/voice/incoming",
            $"<Dial><Number statusCallback=\"/leg-status\" statusCallbackEvent=\"initiated ringing answered completed\">{Phone}</Number></Dial>"));
        var phone = twilio.RegisterPhone(Phone);
        var call = await twilio.DialAsync(Customer);
        var leg = await phone.Ringing!.AcceptAsync();
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(7));
        await leg.HangUpAsync();

        var events = app.FormsTo("/leg-status").ToList();
        Assert.Equal(["initiated", "ringing", "in-progress", "completed"], events.Select(e => e["CallStatus"]));
        Assert.Equal(["0", "1", "2", "3"], events.Select(e => e["SequenceNumber"]));
        Assert.All(events, e => Assert.Equal((leg.CallSid, call.CallSid, "outbound-dial"), (e["CallSid"], e["ParentCallSid"], e["Direction"])));
        Assert.Equal("7", events[^1]["CallDuration"]);

        var (twilio2, app2) = EmulatorFor(a => a.Twiml("/voice/incoming", $"<Dial><Number statusCallback=\"/leg-status\">{Phone}</Number></Dial>"));
        twilio2.RegisterPhone(Phone);
        var caller = await twilio2.DialAsync(Customer);
        await caller.HangUpAsync();
        Assert.Equal("canceled", Assert.Single(app2.FormsTo("/leg-status"))["CallStatus"]);
    }
}
