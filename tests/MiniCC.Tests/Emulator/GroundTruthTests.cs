using MiniCC.Emulator;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>The interpreter gives keys no meaning; the ground truth reads the calls' events with the app's menu, and scripted callers act on them.</summary>
public sealed class GroundTruthTests
{
    /// <summary>A menu at /voice/menu, a single-key Gather elsewhere (a PIN-like prompt), and a queue.</summary>
    private static (TwilioEmulator Twilio, FakeApp App) Center(EmulatorOptions? options = null) => EmulatorFor(a => a
        .Twiml("/voice/incoming", "<Gather numDigits=\"1\" action=\"/voice/menu\" timeout=\"10\"><Say>Press 1 or 2.</Say></Gather><Redirect>/voice/menu</Redirect>")
        .On("/voice/menu", r => r.Content!.ReadAsStringAsync().Result.Contains("Digits=1", StringComparison.Ordinal)
            ? Xml("<Enqueue waitUrl=\"/wait\">q</Enqueue>")
            : Xml("<Gather numDigits=\"1\" action=\"/voice/confirm\"><Say>Press 9 to confirm.</Say></Gather>"))
        .Twiml("/voice/confirm", "<Say>Thank you.</Say>")
        .Twiml("/wait", "<Play>https://example.com/music.mp3</Play>"), options ?? new EmulatorOptions { StatusCallbackUrl = null });

    [Fact]
    public async Task OnlyTheMenusKeysAreAChoiceAndASingleKeyGatherElsewhereIsNot()
    {
        var (twilio, _) = Center();
        var call = await twilio.DialAsync(Customer);
        await call.PressAsync("2");
        Assert.Equal("information", call.Truth.IvrChoice);
        await call.PressAsync("9"); // numDigits=1 too, but it posts to /voice/confirm: not the menu
        Assert.Equal("information", call.Truth.IvrChoice);
        Assert.Contains("Thank you.", call.Heard);
    }

    [Fact]
    public async Task AnotherAppsMenuMeaningReadsTheSameCallsItsOwnWay()
    {
        var (twilio, _) = Center(new EmulatorOptions { StatusCallbackUrl = null, Menu = new MenuMeaning { ActionPath = "/voice/confirm", Choices = new Dictionary<string, string> { ["9"] = "confirmed" } } });
        var miniCC = new GroundTruth(twilio.Clock, MenuMeaning.MiniCC);
        twilio.Happened += miniCC.Observe;
        var call = await twilio.DialAsync(Customer);
        await call.PressAsync("2");
        await call.PressAsync("9");
        Assert.Equal(("confirmed", "information"), (call.Truth.IvrChoice, miniCC.Of(call).IvrChoice));
    }

    [Fact]
    public async Task TheEventsTellWhatHappenedInOrderAndTheTruthSumsThemUp()
    {
        var (twilio, _) = EmulatorFor(a => a
            .Incoming("<Dial><Queue>q</Queue></Dial>",
                "<Gather numDigits=\"1\" action=\"/voice/menu\"><Say>Menu.</Say></Gather>")
            .Twiml("/voice/menu", "<Enqueue waitUrl=\"/wait\">q</Enqueue>")
            .Twiml("/wait", "<Play>https://example.com/music.mp3</Play>"));
        var events = new List<string>();
        twilio.Happened += (call, e) => events.Add((call.From == Customer ? "customer " : "operator ") + e.GetType().Name);
        var customer = await twilio.DialAsync(Customer);
        await customer.PressAsync("1");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(12));
        var op = await twilio.DialAsync("+81909990000");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(50));
        await customer.HangUpAsync();

        Assert.Equal(
        [
            "customer CallStarted", "customer GatherStarted", "customer GatherFinished", "customer QueueEntered",
            "operator CallStarted", "operator DialStarted", "customer Dequeued", "customer BridgeStarted", "operator BridgeStarted",
            "customer BridgeEnded", "operator BridgeEnded", "customer CallFinished", "customer QueueLeft",
            "operator DialEnded", "operator CallFinished", // nothing after its <Dial>: the document ends
        ], events);
        var truth = customer.Truth;
        Assert.Equal(("operator", true, 12, 50, "bridged", op.From), (truth.IvrChoice, truth.Queued, truth.WaitSeconds, truth.TalkSeconds, truth.QueueResult, truth.AnsweredBy));
        Assert.True(op.Truth.IsOperator);
        var summary = twilio.Summary();
        Assert.Equal((2, 1, 1, 1, 1, 0), (summary.Calls, summary.CustomerCalls, summary.OperatorCalls, summary.Offered, summary.Answered, summary.Abandoned));
    }

    [Fact]
    public async Task AScriptedCallerPressesAtEachGatherOutsideTheQueueAndLosesPatienceInIt()
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Gather numDigits=\"1\" action=\"/voice/menu\"><Say>Menu.</Say></Gather>")
            .On("/voice/menu", r => r.Content!.ReadAsStringAsync().Result.Contains("Digits=1", StringComparison.Ordinal)
                ? Xml("<Enqueue waitUrl=\"/wait\" action=\"/exit\">q</Enqueue>")
                : Xml("<Gather numDigits=\"1\" action=\"/voice/menu\"><Say>Again.</Say></Gather>"))
            .Twiml("/wait", "<Gather numDigits=\"1\" action=\"/callback\"><Say>Press 5 for a callback.</Say></Gather>"));
        var script = new CallerScript { Presses = ["7", "1", "5"], PressAfter = TimeSpan.FromSeconds(3), Patience = TimeSpan.FromSeconds(40) };
        var call = twilio.PlaceCall(twilio.Now.AddSeconds(10), Customer, script);
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["7", "1"], app.FormsTo("/voice/menu").Select(f => f["Digits"]));
        Assert.Equal(CallState.InQueue, call.State); // the wait music's Gather is not the caller's to answer
        Assert.Equal(twilio.Options.Start.AddSeconds(10), call.Truth.StartedAt);

        await twilio.AdvanceAsync(TimeSpan.FromSeconds(40));
        Assert.Equal(("hangup", 40), (app.FormsTo("/exit").Single()["QueueResult"], call.Truth.WaitSeconds));
        Assert.Empty(app.FormsTo("/callback"));
    }
}
