using System.Net;
using MiniCC.Emulator;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>How Twilio reads an answer (by its media type), and what it does when it cannot: the Fallback URL, or its apology.</summary>
public sealed class AnswerTests
{
    private static EmulatorOptions WithFallback => new() { StatusCallbackUrl = "/status", FallbackUrl = "/fallback" };

    [Fact]
    public async Task AFailingVoiceUrlGoesToTheFallbackUrlWithErrorCodeAndErrorUrlAndItsTwimlContinuesTheCall()
    {
        var (twilio, app) = EmulatorFor(a => a
            .On("/voice/incoming", _ => Answer("oops", "text/html", HttpStatusCode.InternalServerError))
            .Twiml("/fallback", "<Say>We are having trouble, please hold.</Say><Redirect>/voice/next</Redirect>")
            .Twiml("/voice/next", "<Say>Back on track.</Say>"), WithFallback);
        var call = await twilio.DialAsync(Customer);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["/voice/incoming", "/fallback", "/voice/next", "/status"], app.Paths);
        var fallback = app.FormsTo("/fallback").Single();
        Assert.Equal(("11200", "https://cc.example.com/voice/incoming", call.CallSid), (fallback["ErrorCode"], fallback["ErrorUrl"], fallback["CallSid"]));
        Assert.Equal(["We are having trouble, please hold.", "Back on track."], call.Heard);
        Assert.Equal(11200, Assert.Single(twilio.ApplicationErrors).Code); // recorded even though the call went on
        Assert.True(call.Truth.ApplicationError);
        Assert.Equal(CallState.Completed, call.State);
    }

    [Fact]
    public async Task InvalidTwimlFromAnActionAndAnUnreachableUrlGoToTheFallbackUrlToo()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Gather numDigits=\"1\" action=\"/voice/choice\"><Say>Press a key.</Say></Gather>")
            .On("/voice/choice", _ => Answer("<Response><Say>unclosed</Response>", "text/xml"))
            .Twiml("/fallback", "<Say>One moment.</Say><Redirect>/voice/down</Redirect>")
            .On("/voice/down", _ => throw new HttpRequestException("Connection refused")), WithFallback);
        var call = await twilio.DialAsync(Customer);
        await call.PressAsync("5");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(5));

        var asked = app.FormsTo("/fallback").ToList();
        Assert.Equal(("12100", "https://cc.example.com/voice/choice"), (asked[0]["ErrorCode"], asked[0]["ErrorUrl"]));
        Assert.Equal(("11205", "https://cc.example.com/voice/down"), (asked[1]["ErrorCode"], asked[1]["ErrorUrl"]));
    }

    [Fact]
    public async Task AFallbackWhoseOwnTwimlFailsAtOnceIsNotAskedAgainInALoop()
    {
        var (twilio, app) = EmulatorFor(a => a
            .On("/voice/incoming", _ => Answer("", "application/xml", HttpStatusCode.BadGateway))
            .Twiml("/fallback", "<Redirect>/voice/down</Redirect>")
            .On("/voice/down", _ => throw new HttpRequestException("Connection refused")), WithFallback);
        var call = await twilio.DialAsync(Customer);
        Assert.Equal(["/voice/incoming", "/fallback", "/voice/down"], app.Paths);
        Assert.Equal([11200, 11205], twilio.ApplicationErrors.Select(e => e.Code));
        Assert.Equal([TwilioEmulator.ApplicationErrorMessage], call.Heard);
    }

    [Fact]
    public async Task WhenTheFallbackFailsTooTheCallerHearsTwiliosApologyOnceAndTheCallEnds()
    {
        var (twilio, app) = EmulatorFor(a => a
            .On("/voice/incoming", _ => Answer("", "application/xml", HttpStatusCode.ServiceUnavailable))
            .On("/fallback", _ => Answer("", "application/xml", HttpStatusCode.NotFound)), WithFallback);
        var call = await twilio.DialAsync(Customer);
        Assert.Equal([TwilioEmulator.ApplicationErrorMessage], call.Heard);
        Assert.Equal(CallState.InProgress, call.State); // Twilio answered to say it
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["/voice/incoming", "/fallback", "/status"], app.Paths);
        Assert.Equal([11200, 11200], twilio.ApplicationErrors.Select(e => e.Code));
        var status = app.FormsTo("/status").Single();
        var apology = (int)Math.Ceiling(TwilioEmulator.ApplicationErrorMessage.Length / twilio.Options.SayCharactersPerSecond);
        Assert.Equal(("completed", apology.ToString(System.Globalization.CultureInfo.InvariantCulture)), (status["CallStatus"], status["CallDuration"]));
    }

    [Fact]
    public async Task WithoutAFallbackUrlACallerInTheQueueWhoseWaitMusicFailsLeavesTheQueueAndHearsTheApology()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Enqueue waitUrl=\"/wait\" action=\"/exit\">q</Enqueue>")
            .On("/wait", _ => Answer("", "application/xml", HttpStatusCode.InternalServerError)));
        var call = await twilio.DialAsync(Customer);
        Assert.Empty(twilio.QueueMembers("q"));
        Assert.Equal(TwilioEmulator.ApplicationErrorMessage, call.Heard[^1]);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(CallState.Completed, call.State);
        Assert.DoesNotContain("/exit", app.Paths);
    }

    [Theory]
    [InlineData("text/xml")]
    [InlineData("application/xml")]
    [InlineData("text/html")]
    [InlineData("text/plain")]
    [InlineData("Text/XML")]
    public async Task TwimlIsCarriedOutWhenItComesAsXmlHtmlOrPlainText(string type)
    {
        var (twilio, _) = EmulatorFor(a => a.On("/voice/incoming", _ => Answer("<?xml version=\"1.0\"?><Response><Say>Hello</Say><Pause length=\"30\"/></Response>", type)));
        var call = await twilio.DialAsync(Customer);
        Assert.Equal(["Hello"], call.Heard);
        Assert.Equal(CallState.InProgress, call.State);
        Assert.Empty(twilio.ApplicationErrors);
    }

    [Theory]
    [InlineData("Thank you for calling. We are closed today.", "text/plain", "Thank you for calling. We are closed today.")]
    [InlineData("ID3…", "audio/mpeg", "♪ https://cc.example.com/voice/incoming")]
    public async Task TextThatIsNotTwimlIsReadAloudAndAudioIsPlayedThenTheCallHangsUp(string body, string type, string heard)
    {
        var (twilio, _) = EmulatorFor(a => a.On("/voice/incoming", _ => Answer(body, type)));
        var call = await twilio.DialAsync(Customer);
        Assert.Equal([heard], call.Heard);
        await twilio.AdvanceAsync(twilio.Options.PlayDuration + TimeSpan.FromSeconds(1));
        Assert.Equal(CallState.Completed, call.State);
        Assert.Empty(twilio.ApplicationErrors);
    }
}
