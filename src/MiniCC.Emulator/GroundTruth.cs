namespace MiniCC.Emulator;

/// <summary>
/// What really happened to each call, kept apart from the TwiML interpreter: it watches the calls' events
/// (<see cref="TwilioEmulator.Happened"/>) and reads them with the app's <see cref="MenuMeaning"/>. Every emulator keeps
/// one (<see cref="TwilioEmulator.GroundTruth"/>); another, with another menu, can watch the same calls:
/// <c>twilio.Happened += new GroundTruth(twilio.Clock, menu).Observe;</c>
/// </summary>
public sealed class GroundTruth(TimeProvider clock, MenuMeaning menu)
{
    private readonly Dictionary<EmulatedCall, CallTruth> _truths = [];

    public MenuMeaning Menu { get; } = menu;

    /// <summary>The truth of <paramref name="call"/> so far (a call not started yet: only who and when it was placed).</summary>
    public CallTruth Of(EmulatedCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (!_truths.TryGetValue(call, out var truth))
        {
            truth = new CallTruth { CallSid = call.CallSid, From = call.From, StartedAt = call.PlacedAt };
            _truths[call] = truth;
        }

        return truth;
    }

    public void Observe(EmulatedCall call, CallEvent e)
    {
        var t = Of(call);
        var now = clock.GetUtcNow();
        switch (e)
        {
            case CallStarted:
                t.StartedAt = now; // a planned call: its duration counts from here
                break;
            case GatherFinished g when !g.InQueue && !t.IsOperator && Menu.IsMenu(g.ActionUrl):
                t.IvrChoice = Menu.ChoiceOf(g.Digits);
                break;
            case QueueEntered q:
                t.Queued = true;
                t.EnteredQueueAt = q.Full ? t.EnteredQueueAt : now;
                break;
            case Dequeued d:
                t.AnsweredAt = now;
                t.WaitSeconds = d.WaitSeconds;
                t.AnsweredBy = d.By.From;
                t.AnsweredByCallSid = d.By.CallSid;
                break;
            case QueueLeft left:
                t.QueueResult = left.Result;
                t.WaitSeconds = left.QueueSeconds ?? t.WaitSeconds;
                break;
            case DialStarted d when d.Dial.Elements().Any(n => n.Name.LocalName == "Queue"):
                t.IsOperator = true;
                break;
            case BridgeEnded when t.AnsweredAt is { } answered:
                // Talk (handle) time runs from the pickup (the <Queue url> request) to the end of the bridge.
                t.TalkSeconds = (int)Math.Floor((now - answered).TotalSeconds);
                break;
            case CallFailed:
                t.ApplicationError = true;
                break;
            case CallFinished f:
                t.EndedAt = now;
                t.DurationSeconds = f.DurationSeconds;
                break;
        }
    }
}
