using MiniCC.Emulator;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>&lt;Dial&gt;&lt;Number&gt; to simulated customers: per-attempt answers, the &lt;Number url&gt; document, and the callerId rule.</summary>
public sealed class CalleeTests
{
    private const string Home = "+81312345678";

    /// <summary>An operator's phone call that dials <see cref="Home"/> back, with a greeting for the customer.</summary>
    private static (TwilioEmulator Twilio, FakeApp App) CallingBack(string dialAttributes = $"callerId=\"{Number}\"", string greeting = "<Say>A call back from MiniCC.</Say>") => EmulatorFor(a => a
        .Twiml("/voice/incoming", $"<Dial {dialAttributes} timeout=\"20\" action=\"/after-dial\"><Number url=\"/greeting\">{Home}</Number></Dial>")
        .Twiml("/voice/client", $"<Dial {dialAttributes} action=\"/after-dial\"><Number>{Home}</Number></Dial>")
        .Twiml("/greeting", greeting)
        .Twiml("/after-dial", "<Say>Back in the loop.</Say><Pause length=\"600\"/>"));

    [Fact]
    public async Task EachAttemptGetsTheNextAnswerABusyThenOneWhoHearsTheGreetingAndTalks()
    {
        var (twilio, app) = CallingBack();
        twilio.Callee(Home, CalleeAnswer.Busy, CalleeAnswer.Answers(talk: TimeSpan.FromSeconds(60)));

        var first = await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        var busy = app.FormsTo("/after-dial").Single();
        var busyLeg = Assert.Single(twilio.Legs);
        Assert.Equal(("busy", busyLeg.CallSid, "false", "0"), (busy["DialCallStatus"], busy["DialCallSid"], busy["DialBridged"], busy["DialCallDuration"]));
        Assert.Equal(("outbound-dial", first, Number, Home, CallState.Completed), (busyLeg.Direction, busyLeg.Parent, busyLeg.From, busyLeg.To, busyLeg.State));
        await first.HangUpAsync();

        var second = await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        var leg = twilio.Legs[1];
        Assert.Equal((CallState.Dialing, CallState.InProgress), (second.State, leg.State)); // the operator hears ringing during the greeting
        var greeting = app.FormsTo("/greeting").Single();
        Assert.Equal((leg.CallSid, second.CallSid, "outbound-dial", Number, Home, "in-progress"),
            (greeting["CallSid"], greeting["ParentCallSid"], greeting["Direction"], greeting["From"], greeting["To"], greeting["CallStatus"]));
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(3)); // "A call back from MiniCC." takes 3 s
        Assert.Equal((leg, second), (second.ConnectedTo, leg.ConnectedTo));
        Assert.Equal(["A call back from MiniCC."], leg.Heard);
        Assert.Empty(second.Heard);

        await twilio.AdvanceAsync(TimeSpan.FromSeconds(60));
        var answered = app.FormsTo("/after-dial").Last();
        Assert.Equal(("completed", leg.CallSid, "true", "63"), (answered["DialCallStatus"], answered["DialCallSid"], answered["DialBridged"], answered["DialCallDuration"]));
        Assert.Equal((CallState.Completed, CallState.InProgress), (leg.State, second.State));
        Assert.Contains("Back in the loop.", second.Heard);
        Assert.Contains(leg.Transcript, l => l.Text.Contains("connected to", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NoAnswerRingsUntilTheTimeoutAndAFailedOrImpossibleNumberFailsAtOnce()
    {
        var (twilio, app) = CallingBack();
        twilio.Callee(Home, CalleeAnswer.NoAnswer, CalleeAnswer.Failed);
        await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(19));
        Assert.Empty(app.FormsTo("/after-dial"));
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal("no-answer", app.FormsTo("/after-dial").Single()["DialCallStatus"]);

        await twilio.DialAsync(OperatorPhone);
        Assert.Equal(["no-answer", "failed"], app.FormsTo("/after-dial").Select(f => f["DialCallStatus"]));

        var (other, app2) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Dial action=\"/after-dial\"><Number>12</Number></Dial>")
            .Twiml("/after-dial", "<Hangup/>"));
        await other.DialAsync(OperatorPhone);
        Assert.Equal("failed", app2.FormsTo("/after-dial").Single()["DialCallStatus"]);
    }

    [Fact]
    public async Task TheSideThatDialledMayEndTheConversation()
    {
        var (twilio, app) = CallingBack();
        twilio.Callee(Home, CalleeAnswer.Answers(talk: TimeSpan.FromSeconds(30), after: TimeSpan.FromSeconds(1), calleeHangsUp: false));
        var op = await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal((CallState.Completed, CallState.Completed), (op.State, twilio.Legs.Single().State));
        Assert.Contains(op.Transcript, l => l.Text == "hung up");
        Assert.Empty(app.FormsTo("/after-dial")); // the operator is gone: nothing to continue
    }

    [Fact]
    public async Task ACustomerWhoDeclinesInTheGreetingIsAnsweredButNeverBridged()
    {
        var (twilio, app) = CallingBack(greeting: "<Gather numDigits=\"1\" action=\"/greeting-key\"><Say>Press 1 to talk, 2 to decline.</Say></Gather>");
        app.Twiml("/greeting-key", "<Hangup/>");
        twilio.Callee(Home, CalleeAnswer.Answers(talk: TimeSpan.FromSeconds(30)) with { Presses = ["2"] });
        await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(20));

        Assert.Equal("2", app.FormsTo("/greeting-key").Single()["Digits"]);
        var action = app.FormsTo("/after-dial").Single();
        Assert.Equal(("completed", "false", "2"), (action["DialCallStatus"], action["DialBridged"], action["DialCallDuration"]));
    }

    [Fact]
    public async Task ADialInTheGreetingIsAnErrorAndDropsTheCustomer()
    {
        var (twilio, app) = CallingBack(greeting: "<Dial>+81399998888</Dial>");
        twilio.Callee(Home, CalleeAnswer.Answers(talk: TimeSpan.FromSeconds(30)));
        await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(13201, Assert.Single(twilio.ApplicationErrors).Code);
        Assert.Equal(("completed", "false"), (app.FormsTo("/after-dial").Single()["DialCallStatus"], app.FormsTo("/after-dial").Single()["DialBridged"]));
    }

    [Fact]
    public async Task TheCallerHangingUpDuringTheGreetingEndsTheCustomersLeg()
    {
        var (twilio, _) = CallingBack(greeting: "<Pause length=\"30\"/>");
        twilio.Callee(Home, CalleeAnswer.Answers(talk: TimeSpan.FromSeconds(30)));
        var op = await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        await op.HangUpAsync();
        Assert.Equal(CallState.Completed, twilio.Legs.Single().State);
    }

    [Theory]
    [InlineData("", false)]
    [InlineData("callerId=\"+81399999999\"", false)]
    [InlineData($"callerId=\"{Number}\"", true)]
    [InlineData("callerId=\"+81311112222\"", true)] // a verified caller ID of the account
    public async Task ADialFromTheVoiceSdkNeedsACallerIdOfTheAccount(string attributes, bool allowed)
    {
        var app = new FakeApp();
        app.Twiml("/voice/client", $"<Dial {attributes} action=\"/after-dial\"><Number>{Home}</Number></Dial>").Twiml("/after-dial", "<Hangup/>");
        using var http = new HttpClient(app) { BaseAddress = new Uri("https://cc.example.com/") };
        using var twilio = new TwilioEmulator(http, new EmulatorOptions { CallerIds = ["+81311112222"] });
        twilio.Callee(Home, CalleeAnswer.Busy);
        await twilio.RegisterDevice("alice").ConnectAsync();
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));

        var action = app.FormsTo("/after-dial").Single();
        Assert.Equal(allowed ? "busy" : "failed", action["DialCallStatus"]);
        Assert.Equal(allowed ? 1 : 0, twilio.Legs.Count);
        Assert.Equal(allowed ? [] : [13214], twilio.ApplicationErrors.Select(e => e.Code));
    }

    [Fact]
    public async Task APhoneCallMayShowItsOwnNumberButNotAStrangersAndAnyCalleeAnswersForOtherNumbers()
    {
        var (twilio, app) = EmulatorFor(a => a
            .On("/voice/incoming", r => Xml(r.Content!.ReadAsStringAsync().Result.Contains(Uri.EscapeDataString(OperatorPhone), StringComparison.Ordinal)
                ? $"<Dial callerId=\"{OperatorPhone}\" action=\"/after-dial\">+81355556666</Dial>"
                : "<Dial callerId=\"+81399999999\" action=\"/after-dial\">+81355556666</Dial>"))
            .Twiml("/after-dial", "<Hangup/>"));
        var attempts = new List<(string, int)>();
        twilio.AnyCallee = (number, attempt) =>
        {
            attempts.Add((number, attempt));
            return CalleeAnswer.Busy;
        };
        await twilio.DialAsync(OperatorPhone);
        await twilio.DialAsync(Customer);
        await twilio.DialAsync(OperatorPhone);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["failed", "busy", "busy"], app.FormsTo("/after-dial").Select(f => f["DialCallStatus"])); // busy comes after 2 s of ringing
        Assert.Equal([("+81355556666", 0), ("+81355556666", 1)], attempts);
    }
}
