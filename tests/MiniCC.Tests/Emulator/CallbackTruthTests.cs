using System.Globalization;
using MiniCC.Emulator;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>Keys pressed in the queue, callbacks and voicemails in the ground truth, against a fake app shaped like MiniCC's contract.</summary>
public sealed class CallbackTruthTests
{
    private const string Operator = OperatorPrefix + "0000";

    /// <summary>
    /// Customers queue at once; the wait music listens for * (callback: confirm with 1, then Leave) and # (Leave, then
    /// voicemail); an operator's call dials <paramref name="callback"/> back.
    /// </summary>
    private static (TwilioEmulator Twilio, FakeApp App) Center(string callback = Customer)
    {
        var voicemail = new HashSet<string>();
        return EmulatorFor(a => a
            .Incoming($"<Dial callerId=\"{Number}\" timeout=\"20\" action=\"/voice/callback-result?id=1\"><Number url=\"/voice/callback-greeting\">{callback}</Number></Dial>",
                "<Enqueue waitUrl=\"/voice/wait\" action=\"/voice/queue-exit\">support</Enqueue>")
            .Twiml("/voice/wait", "<Gather numDigits=\"1\" finishOnKey=\"\" action=\"/voice/wait-key\"><Say>You are number 1.</Say><Play>https://example.com/music.mp3</Play></Gather>")
            .On("/voice/wait-key", r =>
            {
                var form = Form(r);
                if (form["Digits"] == "#")
                {
                    voicemail.Add(form["CallSid"]);
                    return Xml("<Leave/>");
                }

                return Xml("<Gather numDigits=\"1\" action=\"/voice/callback-number?ctx=queue\"><Say>Press 1 to confirm your number.</Say></Gather>");
            })
            .Twiml("/voice/callback-number", "<Say>We will call you back.</Say><Leave/>")
            .On("/voice/queue-exit", r => voicemail.Contains(Form(r)["CallSid"])
                ? Xml("<Redirect>/voice/voicemail</Redirect>")
                : Xml("<Say>Goodbye.</Say><Hangup/>"))
            .Twiml("/voice/voicemail", "<Say>Leave a message.</Say><Record action=\"/voice/voicemail-recorded\" maxLength=\"120\" finishOnKey=\"#\"/><Hangup/>")
            .Twiml("/voice/voicemail-recorded", "<Say>Thank you.</Say><Hangup/>")
            .Twiml("/voice/callback-greeting", "<Say>MiniCC calling you back.</Say>")
            .Twiml("/voice/callback-result", "<Hangup/>"));
    }

    [Fact]
    public async Task ACallerWhoAsksForACallbackLeavesTheQueueIsNoAbandonAndTheAnsweredCallbackIsTimedFromTheQueue()
    {
        var (twilio, app) = Center();
        var customer = await twilio.DialAsync(Customer, new CallerScript { QueuePresses = ["*", "1"], QueuePressAfter = TimeSpan.FromSeconds(30) });
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(29));
        Assert.Empty(app.FormsTo("/voice/wait-key"));
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("*", app.FormsTo("/voice/wait-key").Single()["Digits"]);
        Assert.Equal("1", app.FormsTo("/voice/callback-number").Single()["Digits"]); // 2 s into the confirmation, then 3 s of "We will call you back."
        Assert.Equal(("leave", "35"), (app.FormsTo("/voice/queue-exit").Single()["QueueResult"], app.FormsTo("/voice/queue-exit").Single()["QueueTime"]));
        Assert.Equal(CallState.Completed, customer.State);
        var truth = customer.Truth;
        Assert.Equal((MenuMeaning.Callback, true, "leave"), (truth.QueueChoice, truth.CallbackRequested, truth.QueueResult));
        var summary = twilio.Summary();
        Assert.Equal((1, 0, 1, 1, 0), (summary.Offered, summary.Abandoned, summary.OtherExits, summary.CallbacksRequested, summary.CallbacksCompleted));

        twilio.Callee(Customer, CalleeAnswer.Busy, CalleeAnswer.Answers(talk: TimeSpan.FromSeconds(45)));
        await twilio.DialAsync(Operator);
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(5));
        var op = await twilio.DialAsync(Operator);
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(2));

        var dials = twilio.GroundTruth.Callbacks;
        Assert.Equal(
            [("busy", false, 0, customer.CallSid, Customer, Operator), ("completed", true, 48, customer.CallSid, Customer, Operator)], // 45 s of talk after a 3 s greeting
            dials.Select(d => (d.Result, d.Connected, d.TalkSeconds, d.RequestCallSid, d.To, d.Operator)));
        Assert.Equal(op.CallSid, dials[1].OperatorCallSid);
        var answeredAt = twilio.Options.Start.AddSeconds(29 + 60 + (5 * 60) + 5); // the second operator's call, then 5 s of ringing
        Assert.Equal(twilio.Options.Start, truth.EnteredQueueAt);
        Assert.Equal((answeredAt, answeredAt), (truth.CallbackAnsweredAt, dials[1].AnsweredAt));
        summary = twilio.Summary();
        Assert.Equal((1, 1, 1, 0), (summary.CallbacksRequested, summary.CallbacksCompleted, summary.CallbacksFailed, summary.Abandoned));
        Assert.Equal((answeredAt - twilio.Options.Start).TotalSeconds, summary.AverageTimeToCallbackSeconds);
        Assert.Equal((2, 1), (summary.OperatorCalls, summary.CustomerCalls)); // a callback dial makes an operator's call
    }

    [Fact]
    public async Task ACallerWhoPressesHashLeavesTheQueueForAVoicemailThatTheTruthTimes()
    {
        var (twilio, app) = Center();
        var customer = await twilio.DialAsync(Customer, new CallerScript { QueuePresses = ["#"], QueuePressAfter = TimeSpan.FromSeconds(10), Message = TimeSpan.FromSeconds(15) });
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(2));

        var recorded = app.FormsTo("/voice/voicemail-recorded").Single();
        Assert.Equal(("15", "#"), (recorded["RecordingDuration"], recorded["Digits"]));
        Assert.Equal((MenuMeaning.Voicemail, false, "leave", 15), (customer.Truth.QueueChoice, customer.Truth.CallbackRequested, customer.Truth.QueueResult, customer.Truth.VoicemailSeconds));
        var summary = twilio.Summary();
        Assert.Equal((1, 0, 1, 0), (summary.Voicemails, summary.Abandoned, summary.OtherExits, summary.CallbacksRequested));
    }

    [Fact]
    public async Task ACallerWhoHangsUpAfterStarIsAnAbandonNotARequest()
    {
        var (twilio, _) = Center();
        var customer = await twilio.DialAsync(Customer, new CallerScript { QueuePresses = ["*"], QueuePressAfter = TimeSpan.FromSeconds(10), Patience = TimeSpan.FromSeconds(14) });
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal((MenuMeaning.Callback, false, "hangup"), (customer.Truth.QueueChoice, customer.Truth.CallbackRequested, customer.Truth.QueueResult));
        Assert.Equal((1, 0), (twilio.Summary().Abandoned, twilio.Summary().CallbacksRequested));
    }

    [Fact]
    public async Task AtTheNoOperatorOfferAKeyedInNumberIsTheRequestAndACallbackToItServesIt()
    {
        var (twilio, _) = EmulatorFor(a => a
            .Incoming($"<Dial callerId=\"{Number}\" action=\"/voice/callback-result?id=7\"><Number>+81312345678</Number></Dial>",
                "<Gather numDigits=\"1\" action=\"/voice/no-operator\"><Say>Nobody is here. 1 for a callback, 2 for a voicemail.</Say></Gather>")
            .Twiml("/voice/no-operator", "<Gather finishOnKey=\"#\" action=\"/voice/callback-number?ctx=menu&amp;keyed=1\"><Say>Key in your number, then hash.</Say></Gather>")
            .Twiml("/voice/callback-number", "<Say>Thank you.</Say><Hangup/>")
            .Twiml("/voice/callback-result", "<Hangup/>"));
        var customer = await twilio.DialAsync("anonymous", new CallerScript { Presses = ["1", "0312345678#"] });
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));
        var requestedAt = customer.Truth.CallbackRequestedAt!.Value;
        Assert.Equal((MenuMeaning.Callback, true, "0312345678", false), (customer.Truth.QueueChoice, customer.Truth.CallbackRequested, customer.Truth.CallbackKeyed, customer.Truth.Queued));

        twilio.Callee("+81312345678", CalleeAnswer.Answers(talk: TimeSpan.FromSeconds(20), after: TimeSpan.FromSeconds(8)));
        await twilio.DialAsync(Operator);
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));
        var dial = twilio.GroundTruth.Callbacks.Single();
        Assert.Equal((customer.CallSid, "completed", 20), (dial.RequestCallSid, dial.Result, dial.TalkSeconds));
        var summary = twilio.Summary();
        Assert.Equal((1, 1, 0), (summary.CallbacksRequested, summary.CallbacksCompleted, summary.Offered));
        Assert.Equal(((dial.AnsweredAt!.Value - requestedAt).TotalSeconds).ToString(CultureInfo.InvariantCulture),
            summary.AverageTimeToCallbackSeconds.ToString(CultureInfo.InvariantCulture));
    }
}
