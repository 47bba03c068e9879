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
    private readonly List<CallbackTruth> _callbacks = [];
    private readonly Dictionary<EmulatedCall, CallbackTruth> _dialing = [];
    private readonly List<ConnectionTruth> _connections = [];
    private readonly Dictionary<EmulatedCall, string> _dialedQueue = [];
    private readonly Dictionary<EmulatedCall, ConnectionTruth> _connected = [];

    public MenuMeaning Menu { get; } = menu;

    /// <summary>Every callback dial, first first.</summary>
    public IReadOnlyList<CallbackTruth> Callbacks => _callbacks;

    /// <summary>Every customer given to an operator's call (a queue's pickup, a callback's answer), first first.</summary>
    public IReadOnlyList<ConnectionTruth> Connections => _connections;

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
        // An operator's connection lasts until their Dial ends, however it ends (or their call does).
        if (e is DialEnded or CallFinished && _connected.Remove(call, out var connection))
        {
            connection.EndedAt = now;
        }

        switch (e)
        {
            case CallStarted:
                t.StartedAt = now; // a planned call: its duration counts from here
                break;
            case GatherStarted gs when !gs.InQueue && Menu.IsMenu(gs.Gather.Attribute("action")?.Value ?? ""):
                t.HeardMenu = true;
                break;
            case GatherFinished g when !g.InQueue && !t.IsOperator && Menu.IsMenu(g.ActionUrl):
                t.IvrChoice = g.Speech is { } speech ? Menu.At(g.ActionUrl).ChoiceOfSpeech(speech) : Menu.At(g.ActionUrl).ChoiceOf(g.Digits);
                break;
            case GatherFinished { InQueue: true } g when Menu.QueueKeys.TryGetValue(g.Digits, out var choice):
                t.QueueChoice = choice;
                break;
            case GatherFinished { InQueue: true } g when t.QueueChoice == MenuMeaning.Callback && Menu.IsCallbackNumber(g.ActionUrl) &&
                                                        (g.Digits == Menu.CallbackConfirmKey || g.Digits.Length > 1):
                t.CallbackKeyed = g.Digits.Length > 1 ? g.Digits : t.CallbackKeyed;
                t.CallbackConfirmedInQueue = true;
                break;
            case GatherFinished { InQueue: true } g when t.QueueChoice == MenuMeaning.Callback && g.Digits.Length > 1:
                t.CallbackKeyed = g.Digits;
                break;
            case GatherFinished { InQueue: false } g when Menu.OfferChoice(g.ActionUrl, g.Digits) is { } offered:
                t.QueueChoice = offered;
                break;
            case GatherFinished { InQueue: false } g when t.QueueChoice == MenuMeaning.Callback && Menu.IsCallbackNumber(g.ActionUrl) &&
                                                         (g.Digits == Menu.CallbackConfirmKey || g.Digits.Length > 1):
                // Outside the queue (nobody to answer) the confirmation itself is the request.
                t.CallbackKeyed = g.Digits.Length > 1 ? g.Digits : t.CallbackKeyed;
                t.CallbackRequested = true;
                t.CallbackRequestedAt ??= now;
                break;
            case RecordingFinished { Stored: true } r when call.Direction != "outbound-dial":
                t.VoicemailSeconds = (t.VoicemailSeconds ?? 0) + r.DurationSeconds;
                break;
            case DialStarted d when Menu.IsCallbackDial(d.Dial.Attribute("action")?.Value):
                t.IsOperator = true;
                var number = (d.Dial.Elements().FirstOrDefault(n => n.Name.LocalName == "Number") ?? d.Dial).Value.Trim();
                var dial = new CallbackTruth { At = now, To = number, Operator = call.From, OperatorCallSid = call.CallSid, RequestCallSid = RequestFor(number)?.CallSid };
                _callbacks.Add(dial);
                _dialing[call] = dial;
                break;
            case DialEnded de when _dialing.Remove(call, out var ended):
                (ended.Result, ended.Connected, ended.AnsweredAt, ended.TalkSeconds) = (de.Status, de.Bridged, de.AnsweredAt, de.Bridged ? de.DurationSeconds : 0);
                ended.EndedAt = now;
                if (de.Bridged && _truths.Values.FirstOrDefault(r => r.CallSid == ended.RequestCallSid) is { CallbackAnsweredAt: null } request)
                {
                    request.CallbackAnsweredAt = de.AnsweredAt;
                }

                break;
            case QueueEntered q:
                t.Queued = true;
                t.Queue = q.Queue;
                t.EnteredQueueAt = q.Full ? t.EnteredQueueAt : now;
                break;
            case BridgeStarted b when _dialing.TryGetValue(call, out var answered):
                Connect(call, b.Other, queue: null, answered, now);
                break;
            case Dequeued d:
                Connect(d.By, call, _dialedQueue.GetValueOrDefault(d.By), callback: null, now);
                t.AnsweredAt = now;
                t.WaitSeconds = d.WaitSeconds;
                t.AnsweredBy = d.By.From;
                t.AnsweredByCallSid = d.By.CallSid;
                break;
            case QueueLeft left:
                t.QueueResult = left.Result;
                t.WaitSeconds = left.QueueSeconds ?? t.WaitSeconds;
                if (left.Result == "leave" && t.QueueChoice == MenuMeaning.Callback)
                {
                    t.CallbackRequested = true;
                    t.CallbackRequestedAt = now;
                }

                break;
            case DialStarted d when d.Dial.Elements().FirstOrDefault(n => n.Name.LocalName == "Queue") is { } queue:
                t.IsOperator = true;
                _dialedQueue[call] = queue.Value.Trim();
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

    private void Connect(EmulatedCall op, EmulatedCall customer, string? queue, CallbackTruth? callback, DateTimeOffset now)
    {
        var connection = new ConnectionTruth
        {
            Operator = op.From, OperatorCallSid = op.CallSid, CustomerCallSid = customer.CallSid, Queue = queue, Callback = callback, At = now,
        };
        _connections.Add(connection);
        _connected[op] = connection;
    }

    /// <summary>
    /// The oldest request not yet served that a callback to <paramref name="number"/> answers: the caller's own number, or
    /// the digits they keyed in (read without the trunk prefix 0, so "0312345678" matches +81312345678).
    /// </summary>
    private CallTruth? RequestFor(string number) =>
        _truths.Values
            .Where(t => t is { CallbackRequested: true, CallbackAnsweredAt: null } &&
                        (t.CallbackKeyed is { } keyed ? keyed.TrimStart('0') is { Length: > 0 } k && number.EndsWith(k, StringComparison.Ordinal) : t.From == number))
            .OrderBy(t => t.CallbackRequestedAt)
            .FirstOrDefault();
}
