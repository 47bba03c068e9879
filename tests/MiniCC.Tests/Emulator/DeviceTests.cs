using MiniCC.Emulator;
using MiniCC.Twilio.Security;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>Voice SDK devices: their calls to the TwiML App's Voice URL, and &lt;Dial&gt;&lt;Client&gt; ringing them (against a fake app).</summary>
public sealed class DeviceTests
{
    private const string Token = "device-test-token";

    private static EmulatorOptions Signed => new() { AuthToken = Token, StatusCallbackUrl = "/status" };

    private static string DialClients(string clients, string timeout = "20") =>
        $"<Dial action=\"/after-dial\" timeout=\"{timeout}\">{clients}</Dial><Say>unreachable</Say>";

    [Fact]
    public async Task ADeviceConnectsToTheTwimlAppsVoiceUrlWithItsIdentityApplicationSidAndEachParameterSigned()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/client", "<Redirect>/voice/loop</Redirect>")
            .Twiml("/voice/loop", "<Pause length=\"60\"/>"), Signed);
        var device = twilio.RegisterDevice("operator_1");
        var call = await device.ConnectAsync(new Dictionary<string, string> { ["To"] = "+819011112222", ["Mode"] = "ready now" });

        var (request, form) = app.Requests[0];
        Assert.Equal("/voice/client", request.RequestUri!.AbsolutePath);
        Assert.Equal(("inbound", "client:operator_1", "+819011112222", "ringing"), (form["Direction"], form["From"], form["To"], form["CallStatus"]));
        Assert.Equal((twilio.Options.TwimlAppSid, twilio.Options.AccountSid, "ready now"), (form["ApplicationSid"], form["AccountSid"], form["Mode"]));
        Assert.Matches("^AP[0-9a-f]{32}$", form["ApplicationSid"]);
        Assert.True(RequestSignature.IsValid(Token, request.RequestUri.AbsoluteUri, form, request.Headers.GetValues(RequestSignature.HeaderName).Single()));
        // The App is told the device's parameters when the call starts; the call keeps its ApplicationSid.
        var next = app.Requests[1].Form;
        Assert.Equal((call.CallSid, "in-progress", twilio.Options.TwimlAppSid), (next["CallSid"], next["CallStatus"], next["ApplicationSid"]));
        Assert.False(next.ContainsKey("Mode"));
        Assert.Contains(call, twilio.Calls);
    }

    [Fact]
    public async Task WithoutToTheAppGetsAnEmptyToTheDevicesDigitsReachAGatherAndDisconnectSendsTheAppsStatusCallback()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/client", "<Gather action=\"/voice/keys\"><Say>Your code?</Say></Gather>")
            .Twiml("/voice/keys", "<Pause length=\"60\"/>"), new EmulatorOptions { StatusCallbackUrl = "/status", ClientStatusCallbackUrl = "/app-status" });
        var call = await twilio.RegisterDevice("operator_2").ConnectAsync();
        Assert.Equal("", app.Requests[0].Form["To"]);
        await call.PressAsync("42#"); // call.sendDigits("42#")
        Assert.Equal("42", app.FormsTo("/voice/keys").Single()["Digits"]);

        await twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        await call.HangUpAsync(); // call.disconnect()
        var status = app.FormsTo("/app-status").Single();
        Assert.Equal(("completed", "20", "client:operator_2"), (status["CallStatus"], status["CallDuration"], status["From"]));
        Assert.Equal(twilio.Options.TwimlAppSid, status["ApplicationSid"]);
        Assert.Empty(app.FormsTo("/status")); // the number's callback is for calls to the number
    }

    [Fact]
    public async Task TheSdksRulesHoldForIdentitiesParametersAndOneCallAtATime()
    {
        var (twilio, _) = EmulatorFor(a => a.Twiml("/voice/client", "<Pause length=\"60\"/>"));
        Assert.Throws<ArgumentException>(() => twilio.RegisterDevice("operator 1"));
        Assert.Throws<ArgumentException>(() => twilio.RegisterDevice(new string('a', 122)));
        var device = twilio.RegisterDevice("operator_3");
        await Assert.ThrowsAsync<ArgumentException>(() => device.ConnectAsync(new Dictionary<string, string> { ["From"] = "client:boss" }));
        await device.ConnectAsync();
        await Assert.ThrowsAsync<InvalidOperationException>(() => device.ConnectAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => twilio.RegisterPhone("+819011112222").ConnectAsync());
    }

    [Fact]
    public async Task DialClientRingsTheDeviceWithItsParametersAndOnceAcceptedEitherSideMayHangUp()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", DialClients("<Client><Identity>operator_1</Identity><Parameter name=\"Queue\" value=\"support\"/></Client>"))
            .Twiml("/after-dial", "<Say>Thank you.</Say>"));
        var device = twilio.RegisterDevice("operator_1");
        IncomingCall? rang = null;
        device.Incoming += c => rang = c;
        var caller = await twilio.DialAsync(Customer);

        Assert.Same(rang, device.Ringing);
        Assert.Equal(("pending", Customer, "client:operator_1"), (rang!.Status, rang.Parameters["From"], rang.Parameters["To"]));
        Assert.Equal("support", rang.CustomParameters["Queue"]);
        var leg = await rang.AcceptAsync();
        Assert.Equal(("open", leg, caller), (rang.Status, caller.ConnectedTo, leg.ConnectedTo));
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(30));
        await leg.HangUpAsync();

        var action = app.FormsTo("/after-dial").Single();
        Assert.Equal(("completed", leg.CallSid, "true", "30"),
            (action["DialCallStatus"], action["DialCallSid"], action["DialBridged"], action["DialCallDuration"]));
        Assert.Contains("Thank you.", caller.Heard);
        Assert.Equal("closed", rang.Status);
    }

    [Theory]
    [InlineData("reject", "busy", 0)]
    [InlineData("ring out", "no-answer", 20)]
    [InlineData("ignore", "no-answer", 20)]
    [InlineData("unregistered", "no-answer", 0)]
    public async Task AClientThatDoesNotAnswerEndsTheDialWithTheStatusTwilioReports(string what, string status, int afterSeconds)
    {
        var (twilio, app) = EmulatorFor(a => a.Twiml("/voice/incoming", DialClients("<Client>operator_1</Client>")));
        var device = twilio.RegisterDevice("operator_1");
        if (what == "unregistered")
        {
            device.Unregister();
        }

        var start = twilio.Now;
        var caller = await twilio.DialAsync(Customer);
        switch (what)
        {
            case "reject":
                await device.Ringing!.RejectAsync();
                break;
            case "ignore":
                device.Ringing!.Ignore();
                Assert.Null(device.Ringing);
                break;
        }

        await twilio.AdvanceAsync(TimeSpan.FromSeconds(afterSeconds) - (twilio.Now - start));
        var action = app.FormsTo("/after-dial").Single();
        Assert.Equal((status, "false", "0"), (action["DialCallStatus"], action["DialBridged"], action["DialCallDuration"]));
        Assert.Matches("^CA[0-9a-f]{32}$", action["DialCallSid"]);
        Assert.Equal(CallState.InProgress, caller.State);
    }

    [Fact]
    public async Task TheFirstDeviceToAcceptWinsAndTheOthersStopRinging()
    {
        var (twilio, _) = EmulatorFor(a => a.Twiml("/voice/incoming", DialClients("<Client>operator_1</Client><Client>operator_2</Client>")));
        var first = twilio.RegisterDevice("operator_1");
        var second = twilio.RegisterDevice("operator_2");
        var caller = await twilio.DialAsync(Customer);
        var leg = await second.Ringing!.AcceptAsync();

        Assert.Same(leg, caller.ConnectedTo);
        Assert.Null(first.Ringing);
        Assert.Equal(CallState.Completed, first.IncomingCalls.Single().Call.State);
        await Assert.ThrowsAsync<InvalidOperationException>(() => first.IncomingCalls.Single().AcceptAsync());
    }

    [Fact]
    public async Task ADeviceThatAcceptsByItselfAnswersAfterItsDelayAndTheCallerHangingUpEndsItsLeg()
    {
        var (twilio, app) = EmulatorFor(a => a.Twiml("/voice/incoming", DialClients("<Client>operator_1</Client>")));
        var device = twilio.RegisterDevice("operator_1");
        device.AcceptAfter = TimeSpan.FromSeconds(3);
        var caller = await twilio.DialAsync(Customer);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(CallState.Dialing, caller.State);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(1));
        var leg = Assert.IsType<EmulatedCall>(caller.ConnectedTo);

        await caller.HangUpAsync();
        Assert.Equal(CallState.Completed, leg.State);
        Assert.Equal("closed", device.IncomingCalls.Single().Status);
        Assert.Empty(app.FormsTo("/after-dial"));
    }
}
