using System.Net;
using MiniCC.Emulator;
using MiniCC.Twilio.Security;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>The emulator's interpreter against small fake TwiML apps: Twilio's rules, and what it reports as an application error.</summary>
public sealed class EmulatorTests
{
    [Theory]
    [InlineData(500, "application/xml", "<Response/>", "HTTP 500")]
    [InlineData(200, null, "<Response/>", "no Content-Type")]
    [InlineData(200, "application/json", "{}", "is not TwiML")]
    [InlineData(200, "application/xml", "<Response><Say>unclosed</Response>", "invalid XML")]
    [InlineData(200, "application/xml", "<Answer/>", "not <Response>")]
    [InlineData(200, "application/xml", "<Response><Dance/></Response>", "unknown verb <Dance>")]
    [InlineData(200, "application/xml", "<Response><Gather><Dial>1</Dial></Gather></Response>", "<Dial> cannot be nested in <Gather>")]
    [InlineData(200, "application/xml", "<Response><Redirect/></Response>", "<Redirect> without a URL")]
    [InlineData(200, "application/xml", " <?xml version=\"1.0\"?><Response/>", "whitespace before")]
    public async Task WhatTwilioCallsAnApplicationErrorIsReportedAndTheCallerHearsTheApologyBeforeTheCallEnds(int status, string? type, string body, string reason)
    {
        var (twilio, _) = EmulatorFor(a => a.On("/voice/incoming", _ => Answer(body, type, (HttpStatusCode)status)));
        var call = await twilio.DialAsync(Customer);
        Assert.Equal([TwilioEmulator.ApplicationErrorMessage], call.Heard);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallState.Completed, call.State);
        var error = Assert.Single(twilio.ApplicationErrors);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.Contains(error.Code.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Reason, StringComparison.Ordinal);
        Assert.Equal("https://cc.example.com/voice/incoming", error.Url);
        Assert.True(call.Truth.ApplicationError);
        Assert.Equal(1, twilio.Summary().ApplicationErrors);
    }

    [Fact]
    public async Task AResponseOverSixtyFourKilobytesIsAnError()
    {
        var (twilio, _) = EmulatorFor(a => a.Twiml("/voice/incoming", $"<Say>{new string('a', 70_000)}</Say>"));
        await twilio.DialAsync(Customer);
        Assert.Contains("11750", Assert.Single(twilio.ApplicationErrors).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task StandardParametersAreSentAndRelativeUrlsResolveAgainstTheDocument()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Redirect>next/step</Redirect>")
            .Twiml("/voice/next/step", "<Redirect method=\"GET\">../final?x=1</Redirect>")
            .Twiml("/voice/final", "<Say>done</Say>"));
        var call = await twilio.DialAsync(Customer);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(["/voice/incoming", "/voice/next/step", "/voice/final", "/status"], app.Paths);
        var first = app.Requests[0].Form;
        Assert.Matches("^CA[0-9a-f]{32}$", first["CallSid"]);
        Assert.Matches("^AC[0-9a-f]{32}$", first["AccountSid"]);
        Assert.Equal((Customer, "ringing", "inbound", "2010-04-01"), (first["From"], first["CallStatus"], first["Direction"], first["ApiVersion"]));
        Assert.Equal("in-progress", app.Requests[1].Form["CallStatus"]);
        Assert.Equal(HttpMethod.Get, app.Requests[2].Request.Method);
        Assert.Equal("1", app.Requests[2].Form["x"]);
        Assert.Equal(call.CallSid, app.Requests[2].Form["CallSid"]);
        var status = app.Requests[3].Form;
        Assert.Equal(("completed", "1", "call-progress-events", "0"), (status["CallStatus"], status["CallDuration"], status["CallbackSource"], status["SequenceNumber"]));
        Assert.Equal(["done"], call.Heard);
    }

    [Fact]
    public async Task EveryRequestIsSignedWithTheAuthToken()
    {
        var (twilio, app) = EmulatorFor(a => a.Twiml("/voice/incoming", "<Redirect method=\"GET\">/voice/next?a=b</Redirect>"),
            new EmulatorOptions { AuthToken = "secret-token", StatusCallbackUrl = null });
        await twilio.DialAsync(Customer);

        var post = app.Requests[0];
        Assert.True(RequestSignature.IsValid("secret-token", post.Request.RequestUri!.AbsoluteUri, post.Form, post.Request.Headers.GetValues(RequestSignature.HeaderName).Single()));
        var get = app.Requests[1];
        Assert.True(RequestSignature.IsValid("secret-token", get.Request.RequestUri!.AbsoluteUri, null, get.Request.Headers.GetValues(RequestSignature.HeaderName).Single()));
    }

    [Fact]
    public async Task BasicAuthFollowsTwiliosChallengeAndIsKeptForTheCall()
    {
        var (twilio, app) = EmulatorFor(a => a
            .On("/voice/incoming", r => r.Headers.Authorization is null
                ? new HttpResponseMessage(HttpStatusCode.Unauthorized) { Headers = { WwwAuthenticate = { new("Basic", "realm=\"x\"") } }, Content = new StringContent("") }
                : FakeApp.Xml("<Redirect>/voice/next</Redirect>"))
            .Twiml("/voice/next", "<Hangup/>"),
            new EmulatorOptions { BasicAuthUsername = "twilio", BasicAuthPassword = "pw", StatusCallbackUrl = null });
        await twilio.DialAsync(Customer);

        Assert.Equal(["/voice/incoming", "/voice/incoming", "/voice/next"], app.Paths);
        Assert.Null(app.Requests[0].Request.Headers.Authorization);
        Assert.Equal("Basic", app.Requests[1].Request.Headers.Authorization!.Scheme);
        Assert.Equal("Basic", app.Requests[2].Request.Headers.Authorization!.Scheme);
        Assert.Empty(twilio.ApplicationErrors);
    }

    [Fact]
    public async Task GatherPostsToTheCurrentDocumentByDefaultStopsAtFinishOnKeyAndKeysBargeIn()
    {
        var (twilio, _) = EmulatorFor(a => a.Twiml("/voice/incoming", "<Gather timeout=\"5\"><Say>a long prompt that takes a while to say</Say></Gather><Say>nothing</Say>"));
        var call = await twilio.DialAsync(Customer);
        await call.PressAsync("42#");
        var second = twilio.Calls[0].Exchanges[1];
        Assert.Equal("https://cc.example.com/voice/incoming", second.Url);
        Assert.Contains(KeyValuePair.Create("Digits", "42"), second.Parameters);
        Assert.Empty(twilio.ApplicationErrors);
    }

    [Fact]
    public async Task AGatherWithoutInputFallsThroughToTheNextVerbAfterItsTimeout()
    {
        var (twilio, app) = EmulatorFor(a => a.Twiml("/voice/incoming", "<Gather numDigits=\"1\" timeout=\"10\" action=\"/voice/menu\"><Say>menu</Say></Gather><Redirect>/fallback</Redirect>")
            .Twiml("/fallback", "<Say>fell through</Say>"));
        var call = await twilio.DialAsync(Customer);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(9));
        Assert.DoesNotContain("/fallback", app.Paths);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("/fallback", app.Paths);
        Assert.DoesNotContain("/voice/menu", app.Paths);
        Assert.Equal("no-input", call.Truth.IvrChoice); // MiniCC's menu (its action is /voice/menu), with nothing pressed
    }

    [Fact]
    public async Task TheWaitUrlIsRequestedAgainWhenItsDocumentEndsAndOnlyItsVerbsAreAllowed()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Enqueue waitUrl=\"/wait\" action=\"/exit\">q</Enqueue>")
            .Twiml("/wait", "<Say>hold on</Say><Pause length=\"10\"/>"));
        var call = await twilio.DialAsync(Customer);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(35));
        Assert.Equal(4, app.Paths.Count(p => p == "/wait")); // at 0, 11, 22 and 33 s: "hold on" takes 1 s, the pause 10
        var wait = app.Requests.Last(r => r.Request.RequestUri!.AbsolutePath == "/wait").Form;
        Assert.Equal(("1", "1", "1000"), (wait["QueuePosition"], wait["CurrentQueueSize"], wait["MaxQueueSize"]));
        Assert.Matches("^QU[0-9a-f]{32}$", wait["QueueSid"]);
        Assert.Equal("33", wait["QueueTime"]);
        Assert.Equal(CallState.InQueue, call.State);

        app.Twiml("/wait", "<Dial>+81312345678</Dial>");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Contains("not allowed in a wait document", Assert.Single(twilio.ApplicationErrors).Reason, StringComparison.Ordinal);
        Assert.Empty(twilio.QueueMembers("q"));
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallState.Completed, call.State);
        Assert.Equal(TwilioEmulator.ApplicationErrorMessage, call.Heard[^1]);
    }

    [Fact]
    public async Task LeaveAndAFullQueueRequestTheEnqueueActionWithTheirResult()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Enqueue waitUrl=\"/wait\" action=\"/exit\">q</Enqueue>")
            .Twiml("/wait", "<Leave/>")
            .Twiml("/exit", "<Say>bye</Say>"), new EmulatorOptions { MaxQueueSize = 1, StatusCallbackUrl = null });
        var left = await twilio.DialAsync(Customer);
        Assert.Equal("leave", app.Requests.Last(r => r.Request.RequestUri!.AbsolutePath == "/exit").Form["QueueResult"]);
        Assert.Contains("bye", left.Heard);

        app.Twiml("/wait", "<Play>https://example.com/music.mp3</Play>");
        var first = await twilio.DialAsync("+819011110001");
        var second = await twilio.DialAsync("+819011110002");
        Assert.Equal(CallState.InQueue, first.State);
        var full = app.Requests.Last(r => r.Request.RequestUri!.AbsolutePath == "/exit").Form;
        Assert.Equal((second.CallSid, "queue-full"), (full["CallSid"], full["QueueResult"]));
        Assert.False(full.ContainsKey("QueueTime"));
    }

    [Fact]
    public async Task DialQueueDequeuesTheHeadCallerPlaysTheQueueUrlToTheCallerAndBridges()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Incoming("<Dial timeout=\"20\"><Queue url=\"/whisper\">q</Queue></Dial><Say>after dial</Say>",
                "<Enqueue waitUrl=\"/wait\" action=\"/exit\">q</Enqueue>")
            .Twiml("/wait", "<Play>https://example.com/music.mp3</Play>")
            .Twiml("/whisper", "<Say>connecting</Say>")
            .Twiml("/exit", ""));
        var customer = await twilio.DialAsync(Customer);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(12));
        var op = await twilio.DialAsync("+81909990000");

        var whisper = app.Requests.Single(r => r.Request.RequestUri!.AbsolutePath == "/whisper").Form;
        Assert.Equal((customer.CallSid, op.CallSid, "12"), (whisper["CallSid"], whisper["DequeingCallSid"], whisper["QueueTime"]));
        Assert.Contains("connecting", customer.Heard);
        Assert.DoesNotContain("connecting", op.Heard);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((CallState.Talking, CallState.Talking), (customer.State, op.State));

        await twilio.AdvanceAsync(TimeSpan.FromSeconds(30));
        await customer.HangUpAsync();
        var exit = app.Requests.Last(r => r.Request.RequestUri!.AbsolutePath == "/exit").Form;
        Assert.Equal(("bridged", "12"), (exit["QueueResult"], exit["QueueTime"]));
        Assert.Equal(CallState.InProgress, op.State); // on to the verb after <Dial>
        Assert.Contains("after dial", op.Heard);
        Assert.Equal(35, customer.Truth.TalkSeconds);
    }

    [Fact]
    public async Task DialQueueOnAnEmptyQueueWaitsForTheTimeoutThenGoesOn()
    {
        var (twilio, _) = EmulatorFor(a => a.Twiml("/voice/incoming", "<Dial timeout=\"20\"><Queue>q</Queue></Dial><Say>nobody came</Say>"));
        var op = await twilio.DialAsync("+81909990000");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(19));
        Assert.Equal(CallState.WaitingForCaller, op.State);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Contains("nobody came", op.Heard);
    }

    [Fact]
    public async Task AnHourOfVirtualTimeNeedsNoRealTime()
    {
        var (twilio, _) = EmulatorFor(a => a.Twiml("/voice/incoming", "<Pause length=\"3000\"/>"));
        var call = await twilio.DialAsync(Customer);
        await twilio.AdvanceAsync(TimeSpan.FromHours(1));
        Assert.Equal(CallState.Completed, call.State);
        Assert.Equal(twilio.Options.Start.AddHours(1), twilio.Now);
        Assert.Equal(3000, call.Truth.DurationSeconds);
    }
}
