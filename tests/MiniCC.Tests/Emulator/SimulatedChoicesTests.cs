using MiniCC.Emulator;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>A simulated day in which some callers ask for a callback or leave a voicemail, against a small fake center that calls back.</summary>
public sealed class SimulatedChoicesTests
{
    /// <summary>
    /// Customers queue at once (the wait music takes * and #); operators serve due callbacks first, retrying a number
    /// that did not connect up to twice more, else take the next caller.
    /// </summary>
    private static (TwilioEmulator Twilio, FakeApp App) Center()
    {
        var due = new Queue<(string Number, int Attempt)>();
        var dialing = new Dictionary<string, (string Number, int Attempt)>();
        var voicemail = new HashSet<string>();
        HttpResponseMessage Next(Dictionary<string, string> form)
        {
            if (due.TryDequeue(out var callback))
            {
                dialing[form["CallSid"]] = callback;
                return Xml($"<Dial callerId=\"{Number}\" timeout=\"20\" action=\"/voice/callback-result\"><Number url=\"/voice/callback-greeting\">{callback.Number}</Number></Dial>");
            }

            return Xml("<Dial timeout=\"30\" action=\"/voice/operator-next\"><Queue>support</Queue></Dial>");
        }

        return EmulatorFor(a => a
            .On("/voice/incoming", r => Form(r) is var f && f["From"].StartsWith("+819010", StringComparison.Ordinal)
                ? Next(f)
                : Xml("<Enqueue waitUrl=\"/voice/wait\" action=\"/voice/queue-exit\">support</Enqueue>"))
            .On("/voice/operator-next", r => Next(Form(r)))
            .On("/voice/callback-result", r =>
            {
                var form = Form(r);
                var (number, attempt) = dialing[form["CallSid"]];
                if (form["DialBridged"] != "true" && attempt < 3)
                {
                    due.Enqueue((number, attempt + 1));
                }

                return Xml("<Redirect>/voice/operator-next</Redirect>");
            })
            .Twiml("/voice/wait", "<Gather numDigits=\"1\" finishOnKey=\"\" action=\"/voice/wait-key\"><Say>Please hold.</Say><Play>https://example.com/music.mp3</Play></Gather>")
            .On("/voice/wait-key", r =>
            {
                var form = Form(r);
                if (form["Digits"] != "#")
                {
                    return Xml("<Gather numDigits=\"1\" action=\"/voice/callback-number\"><Say>Press 1 to confirm.</Say></Gather>");
                }

                voicemail.Add(form["CallSid"]);
                return Xml("<Leave/>");
            })
            .On("/voice/callback-number", r =>
            {
                due.Enqueue((Form(r)["From"], 1));
                return Xml("<Say>We will call you back.</Say><Leave/>");
            })
            .On("/voice/queue-exit", r => voicemail.Contains(Form(r)["CallSid"]) ? Xml("<Redirect>/voice/voicemail</Redirect>") : Xml("<Hangup/>"))
            .Twiml("/voice/voicemail", "<Record action=\"/voice/voicemail-recorded\" maxLength=\"120\" finishOnKey=\"#\"/><Hangup/>")
            .Twiml("/voice/voicemail-recorded", "<Hangup/>")
            .Twiml("/voice/callback-greeting", "<Say>Calling you back.</Say>"), new EmulatorOptions { StatusCallbackUrl = null, Seed = 5 });
    }

    [Fact]
    public async Task CallersWhoChooseACallbackOrAVoicemailAreCountedAsTheAppSawThemAndCallbacksAreDialledUntilServed()
    {
        var (twilio, app) = Center();
        var morning = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(9));
        var scenario = new Scenario
        {
            Start = morning, Calls = 40, ArrivalsPerHour = 90, Operators = 2, MeanPatience = null, CallbackShare = 0.3, VoicemailShare = 0.2,
            CalleeAnswerShare = 0.5, CalleeBusyShare = 0.3, MeanTalk = TimeSpan.FromMinutes(2),
        };
        var summary = await Simulation.RunAsync(twilio, scenario);

        Assert.Equal(morning.AddSeconds(1), twilio.Calls[0].Truth.StartedAt); // the first operator, a second into the day
        Assert.Empty(twilio.ApplicationErrors);
        Assert.True(summary.CallbacksRequested >= 5 && summary.Voicemails >= 3, $"{summary.CallbacksRequested} callbacks, {summary.Voicemails} voicemails");
        Assert.Equal(app.FormsTo("/voice/callback-number").Count(), summary.CallbacksRequested);
        Assert.Equal(app.FormsTo("/voice/voicemail-recorded").Count(), summary.Voicemails);
        Assert.Equal(app.FormsTo("/voice/queue-exit").Count(f => f["QueueResult"] == "leave"), summary.OtherExits);
        Assert.Equal((40, 0), (summary.Offered, summary.Abandoned));

        // Per operator's call, the Dial actions the app got tell the same results as the truth; only the call's last dial may
        // have gone without one (the operator ended the call, or signed off while it rang).
        var results = app.FormsTo("/voice/callback-result").ToList();
        var dials = twilio.GroundTruth.Callbacks;
        foreach (var perCall in dials.GroupBy(d => d.OperatorCallSid))
        {
            var told = results.Where(f => f["CallSid"] == perCall.Key).Select(f => (f["DialCallStatus"], f["DialBridged"] == "true")).ToList();
            Assert.InRange(perCall.Count() - told.Count, 0, 1);
            Assert.Equal(told, perCall.Take(told.Count).Select(d => (d.Result!, d.Connected)));
        }

        Assert.Equal(dials.Count(d => !d.Connected), summary.CallbacksFailed);
        Assert.True(summary.CallbacksFailed > 0, "some customers were busy or did not answer");
        Assert.Equal(dials.Where(d => d.Connected).Select(d => d.RequestCallSid).Distinct().Count(), summary.CallbacksCompleted);
        Assert.True(summary.AverageTimeToCallbackSeconds > 0);
        Assert.All(twilio.Legs, leg => Assert.Equal(CallState.Completed, leg.State));
    }
}
