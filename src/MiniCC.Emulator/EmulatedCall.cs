using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>
/// One phone call, as a page object for tests (<see cref="PressAsync"/>, <see cref="HangUpAsync"/>,
/// <see cref="Heard"/>, <see cref="State"/>), and its TwiML interpreter.
/// </summary>
public sealed class EmulatedCall
{
    private static readonly HashSet<string> MainVerbs = ["Say", "Play", "Pause", "Gather", "Redirect", "Hangup", "Reject", "Enqueue", "Dial", "Record", "Leave"];
    private static readonly HashSet<string> WaitVerbs = ["Play", "Say", "Pause", "Gather", "Redirect", "Leave", "Hangup"];
    private static readonly HashSet<string> WhisperVerbs = ["Play", "Say", "Pause", "Redirect"];
    private static readonly HashSet<string> PromptVerbs = ["Say", "Play", "Pause"];
    private static readonly HashSet<string> DialNouns = ["Number", "Client", "Queue", "Sip", "Conference", "Application"];

    private readonly TwilioEmulator _t;
    private readonly List<string> _heard = [];
    private readonly List<TranscriptLine> _transcript = [];
    private readonly List<Exchange> _exchanges = [];
    private bool _answered;
    private bool _anyRequest;
    private Frame? _sub;
    private GatherState? _gather;
    private EnqueueState? _enqueue;
    private DialState? _dial;
    private Connection? _bridge;
    private int _menus;
    private int _statusSequence;

    internal EmulatedCall(TwilioEmulator twilio, string callSid, string from, string to, CallerScript? script)
    {
        _t = twilio;
        CallSid = callSid;
        From = from;
        To = to;
        Script = script;
        Truth = new CallTruth { CallSid = callSid, From = from, StartedAt = twilio.Now };
    }

    public string CallSid { get; }

    public string From { get; }

    public string To { get; }

    public CallerScript? Script { get; }

    public CallState State { get; private set; } = CallState.Ringing;

    /// <summary>Every &lt;Say&gt; text heard, and "♪ url" for each &lt;Play&gt;, in order.</summary>
    public IReadOnlyList<string> Heard => _heard;

    /// <summary>What the caller heard and pressed and every request and response, with times.</summary>
    public IReadOnlyList<TranscriptLine> Transcript => _transcript;

    public IReadOnlyList<Exchange> Exchanges => _exchanges;

    public CallTruth Truth { get; }

    /// <summary>Everything heard since the call began, as one text (handy for Assert.Contains).</summary>
    public string HeardText => string.Join("\n", _heard);

    /// <summary>The call this one is talking to, when connected.</summary>
    public EmulatedCall? ConnectedTo => _bridge is { } b ? (b.Customer == this ? b.Operator : b.Customer) : null;

    internal int Requests { get; set; }

    internal bool UseCredentials { get; set; }

    private bool Ended => State == CallState.Completed;

    /// <summary>Presses keys (each one as DTMF); runs whatever they cause at this instant.</summary>
    public async Task PressAsync(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        foreach (var key in digits)
        {
            await KeyAsync(key);
        }

        await _t.RunDueAsync();
    }

    /// <summary>Hangs up this side of the call.</summary>
    public async Task HangUpAsync()
    {
        await HangUpNowAsync();
        await _t.RunDueAsync();
    }

    internal void Record(Exchange e)
    {
        _exchanges.Add(e);
        Line("request", $"{e.Method} {e.Url} {string.Join('&', e.Parameters.Where(p => p.Key is not ("AccountSid" or "ApiVersion" or "Direction" or "To")).Select(p => p.Key + "=" + p.Value))}");
        Line("response", $"{e.Status} {e.Body}");
    }

    private void Line(string kind, string text) => _transcript.Add(new TranscriptLine(_t.Now, kind, text));

    // ---- Starting, fetching, parsing ---------------------------------------------------------

    internal async Task StartAsync()
    {
        // A call placed ahead of time (PlaceCall) starts now: its CallDuration counts from here.
        Truth.StartedAt = _t.Now;
        await FetchAndRunAsync(_t.Options.VoiceUrl, null, _t.Options.Method, [], Context.Main);
    }

    private List<KeyValuePair<string, string>> Parameters(IEnumerable<(string Key, string Value)> extra)
    {
        var status = Ended ? "completed" : _anyRequest ? "in-progress" : "ringing";
        _anyRequest = true;
        var list = new List<KeyValuePair<string, string>>
        {
            new("CallSid", CallSid), new("AccountSid", _t.Options.AccountSid), new("From", From), new("To", To),
            new("CallStatus", status), new("ApiVersion", "2010-04-01"), new("Direction", "inbound"),
            new("Caller", From), new("Called", To),
        };
        list.AddRange(extra.Select(e => KeyValuePair.Create(e.Key, e.Value)));
        return list;
    }

    private async Task FetchAndRunAsync(string url, string? baseUrl, string method, IEnumerable<(string, string)> extra, Context context)
    {
        var fetched = await _t.FetchAsync(this, url, baseUrl, method, Parameters(extra));
        if (Ended && context == Context.Main)
        {
            return; // a request made after the call ended (e.g. the Enqueue action after a hang-up): its TwiML is ignored
        }

        if (fetched is null)
        {
            await FailAsync();
            return;
        }

        var frame = Parse(fetched.Value.Body, fetched.Value.Url, context);
        if (frame is null)
        {
            await FailAsync();
            return;
        }

        if (context is Context.Wait or Context.Whisper)
        {
            _sub = frame;
        }

        await RunAsync(frame);
    }

    private Frame? Parse(string body, string url, Context context)
    {
        XElement root;
        try
        {
            if (body.Length > 0 && char.IsWhiteSpace(body[0]))
            {
                _t.Error(this, url, "whitespace before the XML declaration (error 12100)");
                return null;
            }

            root = XDocument.Parse(body).Root!;
        }
        catch (XmlException ex)
        {
            _t.Error(this, url, "invalid XML (error 12100): " + ex.Message);
            return null;
        }

        if (root.Name.LocalName != "Response" || root.Name.Namespace != XNamespace.None)
        {
            _t.Error(this, url, $"the root is <{root.Name.LocalName}>, not <Response> (error 12100)");
            return null;
        }

        var allowed = context switch
        {
            Context.Wait => WaitVerbs,
            Context.Whisper => WhisperVerbs,
            _ => MainVerbs,
        };
        foreach (var verb in root.Elements())
        {
            var name = verb.Name.LocalName;
            if (!MainVerbs.Contains(name))
            {
                _t.Error(this, url, $"unknown verb <{name}> (error 12200)");
                return null;
            }

            if (!allowed.Contains(name))
            {
                _t.Error(this, url, $"<{name}> is not allowed in a {context.ToString().ToLowerInvariant()} document (error 12200)");
                return null;
            }

            var nesting = name switch
            {
                "Gather" => verb.Elements().FirstOrDefault(e => !PromptVerbs.Contains(e.Name.LocalName)),
                "Dial" => verb.Elements().FirstOrDefault(e => !DialNouns.Contains(e.Name.LocalName)),
                "Say" => null, // may hold SSML
                _ => verb.Elements().FirstOrDefault(),
            };
            if (nesting is not null)
            {
                _t.Error(this, url, $"<{nesting.Name.LocalName}> cannot be nested in <{name}> (error 12200)");
                return null;
            }

            if (name == "Redirect" && string.IsNullOrWhiteSpace(verb.Value))
            {
                _t.Error(this, url, "<Redirect> without a URL (undocumented; treated as error 12200)");
                return null;
            }
        }

        return new Frame(root.Elements().ToList(), url, context) { StartedAt = _t.Now };
    }

    private async Task FailAsync()
    {
        Truth.ApplicationError = true;
        Line("event", "application error: the call ends");
        var dequeuer = State == CallState.BeingConnected ? _enqueue?.Dequeuer : null;
        await EndCallAsync("completed");
        if (dequeuer is { _dial: { } d, State: CallState.BeingConnected })
        {
            await dequeuer.DialEndedAsync(d, "failed", bridged: false, duration: 0);
        }
    }

    // ---- The interpreter -------------------------------------------------------------------

    private async Task RunAsync(Frame f)
    {
        while (!Ended && !f.Cancelled)
        {
            if (f.Index >= f.Verbs.Count)
            {
                await FrameEndedAsync(f);
                return;
            }

            var verb = f.Verbs[f.Index++];
            var name = verb.Name.LocalName;
            if (!_answered && name != "Reject" && f.Context == Context.Main)
            {
                _answered = true;
                State = CallState.InProgress;
            }

            switch (name)
            {
                case "Say":
                    var text = verb.Value.Trim();
                    var times = Loops(verb);
                    for (var i = 0; i < times; i++)
                    {
                        _heard.Add(text);
                    }

                    Line("heard", text);
                    Continue(f, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(text.Length / _t.Options.SayCharactersPerSecond)) * times));
                    return;
                case "Play":
                    var media = verb.Value.Trim();
                    var plays = Loops(verb);
                    _heard.Add("♪ " + media);
                    Line("heard", "♪ " + media);
                    Continue(f, verb.Attribute("digits") is not null ? TimeSpan.FromSeconds(1) : _t.Options.PlayDuration * plays);
                    return;
                case "Pause":
                    Continue(f, TimeSpan.FromSeconds(Int(verb, "length", 1)));
                    return;
                case "Gather":
                    await GatherAsync(f, verb);
                    return;
                case "Redirect":
                    f.Cancelled = true;
                    await FetchAndRunAsync(verb.Value.Trim(), f.Url, Method(verb, "method"), f.Context == Context.Wait ? QueueParameters() : [], f.Context);
                    return;
                case "Hangup":
                    if (f.Context == Context.Wait)
                    {
                        await LeaveQueueAsync("hangup", endCall: true);
                        return;
                    }

                    await EndCallAsync("completed");
                    return;
                case "Reject":
                    await EndCallAsync(_answered ? "completed" : verb.Attribute("reason")?.Value == "busy" ? "busy" : "no-answer");
                    return;
                case "Leave":
                    if (f.Context == Context.Wait)
                    {
                        await LeaveQueueAsync("leave", endCall: false);
                        return;
                    }

                    break; // not in a queue: nothing to leave
                case "Enqueue":
                    await EnqueueAsync(f, verb);
                    return;
                case "Dial":
                    await DialAsync(f, verb);
                    return;
                case "Record":
                    Line("event", "recording");
                    _t.After(_t.Options.RecordDuration, async () =>
                    {
                        if (!Ended && !f.Cancelled)
                        {
                            f.Cancelled = true;
                            await FetchAndRunAsync(verb.Attribute("action")?.Value ?? f.Url, f.Url, Method(verb, "method"),
                                [("RecordingUrl", "https://api.twilio.com/2010-04-01/Accounts/" + _t.Options.AccountSid + "/Recordings/" + _t.NewSid("RE")),
                                 ("RecordingDuration", TwilioEmulator.Seconds(_t.Options.RecordDuration)), ("Digits", "hangup")], Context.Main);
                        }
                    });
                    return;
            }
        }
    }

    private void Continue(Frame f, TimeSpan after) => _t.After(after, async () =>
    {
        if (!Ended && !f.Cancelled)
        {
            await RunAsync(f);
        }
    });

    private async Task FrameEndedAsync(Frame f)
    {
        switch (f.Context)
        {
            case Context.Main:
                await EndCallAsync("completed"); // a document that runs out of verbs hangs up
                break;
            case Context.Wait when State == CallState.InQueue && _enqueue is { } e:
                // The waitUrl is requested again whenever its document ends (never in a tight loop).
                var ranFor = _t.Now - f.StartedAt;
                _t.After(ranFor > TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromSeconds(1), async () =>
                {
                    if (State == CallState.InQueue && _enqueue == e)
                    {
                        await StartWaitAsync();
                    }
                });
                break;
            case Context.Whisper when _bridge is null && State == CallState.BeingConnected && _enqueue?.Dequeuer is { } op:
                Bridge(op);
                break;
            case Context.Prompt when _gather is { } g && g.Prompts == f:
                StartGatherTimer(g);
                break;
        }
    }

    // ---- Gather ----------------------------------------------------------------------------

    private async Task GatherAsync(Frame parent, XElement verb)
    {
        var prompts = new Frame(verb.Elements().ToList(), parent.Url, Context.Prompt) { StartedAt = _t.Now };
        var g = new GatherState(verb, parent, prompts);
        _gather = g;
        if (parent.Context == Context.Main && !Truth.IsOperator && IsMenu(verb))
        {
            g.IsMenu = true;
            var presses = Script?.Presses ?? [];
            var index = _menus++;
            if (index < presses.Count)
            {
                var keys = presses[index];
                _t.After(Script!.PressAfter, async () =>
                {
                    if (_gather == g && !Ended)
                    {
                        foreach (var k in keys)
                        {
                            await KeyAsync(k);
                        }
                    }
                });
            }
        }

        await RunAsync(prompts);
    }

    /// <summary>A Gather whose action is not a PIN prompt: MiniCC's (and the original's) menu.</summary>
    private static bool IsMenu(XElement gather) => gather.Attribute("numDigits")?.Value == "1";

    private void StartGatherTimer(GatherState g)
    {
        var timer = ++g.Timer;
        _t.After(TimeSpan.FromSeconds(Int(g.Verb, "timeout", 5)), async () =>
        {
            if (_gather == g && g.Timer == timer && !Ended)
            {
                await FinishGatherAsync(g);
            }
        });
    }

    private async Task KeyAsync(char key)
    {
        Line("pressed", key.ToString());
        if (Ended || _gather is not { } g)
        {
            return; // no Gather listening: keys are ignored
        }

        g.Prompts.Cancelled = true; // barge-in
        var finishOnKey = g.Verb.Attribute("finishOnKey")?.Value ?? "#";
        if (finishOnKey.Length == 1 && key == finishOnKey[0])
        {
            await FinishGatherAsync(g);
            return;
        }

        g.Digits += key;
        var numDigits = Int(g.Verb, "numDigits", int.MaxValue);
        if (g.Digits.Length >= numDigits)
        {
            await FinishGatherAsync(g);
            return;
        }

        StartGatherTimer(g);
    }

    private async Task FinishGatherAsync(GatherState g)
    {
        _gather = null;
        g.Prompts.Cancelled = true;
        if (g.IsMenu)
        {
            Truth.IvrChoice = g.Digits switch
            {
                "" => "no-input",
                "1" => "operator",
                "2" => "information",
                _ => "invalid",
            };
        }

        var empty = g.Digits.Length == 0;
        if (empty && g.Verb.Attribute("actionOnEmptyResult")?.Value != "true")
        {
            await RunAsync(g.Parent); // no input: on to the verb after the Gather
            return;
        }

        g.Parent.Cancelled = true;
        var extra = new List<(string, string)> { ("Digits", g.Digits) };
        if (g.Parent.Context == Context.Wait)
        {
            extra.AddRange(QueueParameters());
        }

        await FetchAndRunAsync(g.Verb.Attribute("action")?.Value ?? g.Parent.Url, g.Parent.Url, Method(g.Verb, "method"), extra,
            g.Parent.Context == Context.Wait ? Context.Wait : Context.Main);
    }

    // ---- Queues ----------------------------------------------------------------------------

    private async Task EnqueueAsync(Frame f, XElement verb)
    {
        f.Cancelled = true; // the main document resumes after <Enqueue> only when the caller leaves the queue
        var queue = _t.Queue(verb.Value.Trim());
        var e = new EnqueueState(queue, verb, f);
        _enqueue = e;
        Truth.Queued = true;
        if (queue.Members.Count >= queue.MaxSize)
        {
            Truth.QueueResult = "queue-full";
            Line("event", "queue full");
            await AfterEnqueueAsync(e, "queue-full", withQueue: false);
            return;
        }

        queue.Members.Add((this, _t.Now));
        e.Entered = _t.Now;
        Truth.EnteredQueueAt = _t.Now;
        State = CallState.InQueue;
        Line("event", $"entered queue {queue.Name} at position {queue.Members.Count}");
        if (Script?.Patience is { } patience)
        {
            _t.After(patience, async () =>
            {
                if (State == CallState.InQueue && _enqueue == e)
                {
                    await HangUpNowAsync();
                }
            });
        }

        if (queue.WaitingDialers.Count > 0)
        {
            var op = queue.WaitingDialers[0];
            queue.WaitingDialers.RemoveAt(0);
            await op.DequeueAsync(queue);
            return;
        }

        await StartWaitAsync();
    }

    private async Task StartWaitAsync()
    {
        var e = _enqueue!;
        var waitUrl = e.Verb.Attribute("waitUrl")?.Value;
        if (waitUrl is null)
        {
            // Twilio's default hold-music playlist.
            var music = new Frame([new XElement("Play", "https://com.twilio.music.classical.s3.amazonaws.com/index.xml")], e.Resume.Url, Context.Wait)
            {
                StartedAt = _t.Now,
            };
            _sub = music;
            await RunAsync(music);
            return;
        }

        if (waitUrl.Length == 0)
        {
            return; // silence until something happens
        }

        await FetchAndRunAsync(waitUrl, e.Resume.Url, Method(e.Verb, "waitUrlMethod"), QueueParameters(), Context.Wait);
    }

    private IEnumerable<(string, string)> QueueParameters()
    {
        if (_enqueue is not { Entered: { } entered } e)
        {
            return [];
        }

        var members = e.Queue.Members;
        var now = _t.Now;
        var average = members.Count == 0 ? 0 : (long)members.Average(m => (now - m.Entered).TotalSeconds);
        return
        [
            ("QueuePosition", e.Queue.PositionOf(this).ToString(CultureInfo.InvariantCulture)),
            ("QueueSid", e.Queue.Sid),
            ("QueueTime", TwilioEmulator.Seconds(now - entered)),
            ("AvgQueueTime", average.ToString(CultureInfo.InvariantCulture)),
            ("CurrentQueueSize", members.Count.ToString(CultureInfo.InvariantCulture)),
            ("MaxQueueSize", e.Queue.MaxSize.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    private int QueueSeconds() => _enqueue?.Entered is { } entered ? (int)Math.Floor((_t.Now - entered).TotalSeconds) : 0;

    /// <summary>The caller leaves the queue without being connected (hang-up, Leave, Hangup in the wait music).</summary>
    private async Task LeaveQueueAsync(string result, bool endCall)
    {
        var e = _enqueue!;
        e.Queue.Members.RemoveAll(m => m.Call == this);
        _sub?.Cancel();
        _gather = null;
        Truth.QueueResult = result;
        Truth.WaitSeconds = QueueSeconds();
        Line("event", $"left queue {e.Queue.Name}: {result}");
        if (endCall)
        {
            await EndCallAsync("completed");
        }
        else
        {
            State = CallState.InProgress;
        }

        await AfterEnqueueAsync(e, result, withQueue: true);
    }

    /// <summary>Requests the Enqueue action (its TwiML continues a caller still on the line), or goes on after &lt;Enqueue&gt;.</summary>
    private async Task AfterEnqueueAsync(EnqueueState e, string result, bool withQueue)
    {
        var action = e.Verb.Attribute("action")?.Value;
        var extra = new List<(string, string)> { ("QueueResult", result) };
        if (withQueue)
        {
            // QueueTime is the time spent in the queue: up to the pickup for a caller who was connected.
            extra.Add(("QueueSid", e.Queue.Sid));
            extra.Add(("QueueTime", (Truth.WaitSeconds ?? QueueSeconds()).ToString(CultureInfo.InvariantCulture)));
        }

        if (action is not null)
        {
            await FetchAndRunAsync(action, e.Resume.Url, Method(e.Verb, "method"), extra, Context.Main);
        }
        else if (!Ended)
        {
            e.Resume.Cancelled = false;
            await RunAsync(e.Resume);
        }
    }

    // ---- Dial (the operator's side) -----------------------------------------------------------

    private async Task DialAsync(Frame f, XElement verb)
    {
        f.Cancelled = true;
        var timeout = TimeSpan.FromSeconds(Int(verb, "timeout", 30));
        var queueNoun = verb.Elements().FirstOrDefault(e => e.Name.LocalName == "Queue");
        var d = new DialState(verb, f, queueNoun);
        _dial = d;
        if (queueNoun is null)
        {
            Line("event", "dialing (no one answers in the emulator)");
            _t.After(timeout, async () =>
            {
                if (_dial == d && !Ended)
                {
                    await DialEndedAsync(d, "no-answer", bridged: false, duration: 0);
                }
            });
            return;
        }

        Truth.IsOperator = true;
        var queue = _t.Queue(queueNoun.Value.Trim());
        d.Queue = queue;
        if (queue.Members.Count > 0)
        {
            await DequeueAsync(queue);
            return;
        }

        State = CallState.WaitingForCaller;
        queue.WaitingDialers.Add(this);
        Line("event", $"waiting for a caller in {queue.Name}");
        _t.After(timeout, async () =>
        {
            if (_dial == d && State == CallState.WaitingForCaller)
            {
                queue.WaitingDialers.Remove(this);
                Line("event", "no caller before the Dial timeout");
                await DialEndedAsync(d, "no-answer", bridged: false, duration: 0);
            }
        });
    }

    /// <summary>This operator takes the caller at the head of <paramref name="queue"/>; the caller hears the &lt;Queue url&gt; document, then they talk.</summary>
    private async Task DequeueAsync(EmulatedQueue queue)
    {
        var (customer, entered) = queue.Members[0];
        queue.Members.RemoveAt(0);
        State = CallState.BeingConnected;
        var d = _dial!;
        var e = customer._enqueue!;
        e.Dequeuer = this;
        customer._sub?.Cancel();
        customer._gather = null;
        customer.State = CallState.BeingConnected;
        var waited = (int)Math.Floor((_t.Now - entered).TotalSeconds);
        customer.Truth.AnsweredAt = _t.Now;
        customer.Truth.WaitSeconds = waited;
        customer.Truth.AnsweredBy = From;
        customer.Truth.AnsweredByCallSid = CallSid;
        customer.Line("event", $"picked up by {From} after {waited} s");
        Line("event", $"took {customer.From} from {queue.Name}");
        var url = d.QueueNoun!.Attribute("url")?.Value;
        if (url is null)
        {
            customer.Bridge(this);
            return;
        }

        await customer.FetchAndRunAsync(url, d.Resume.Url, Method(d.QueueNoun, "method"),
            [("QueueSid", queue.Sid), ("QueueTime", waited.ToString(CultureInfo.InvariantCulture)), ("DequeingCallSid", CallSid)], Context.Whisper);
    }

    /// <summary>Connects this caller and the operator; the talk ends as the caller's script says (or when a test hangs up).</summary>
    private void Bridge(EmulatedCall op)
    {
        var bridge = new Connection(this, op, _t.Now);
        _bridge = bridge;
        op._bridge = bridge;
        State = CallState.Talking;
        op.State = CallState.Talking;
        Line("event", "connected to " + op.From);
        op.Line("event", "connected to " + From);
        if (Script is { } script)
        {
            _t.After(script.TalkTime, async () =>
            {
                if (_bridge == bridge && op._bridge == bridge)
                {
                    await (script.CallerHangsUpFirst ? HangUpNowAsync() : op.HangUpNowAsync());
                }
            });
        }
    }

    private async Task DialEndedAsync(DialState d, string status, bool bridged, int duration)
    {
        _dial = null;
        if (Ended)
        {
            return;
        }

        State = CallState.InProgress;
        var action = d.Verb.Attribute("action")?.Value;
        if (action is null)
        {
            d.Resume.Cancelled = false;
            await RunAsync(d.Resume);
            return;
        }

        var extra = new List<(string, string)>
        {
            ("DialCallStatus", status), ("DialBridged", bridged ? "true" : "false"),
            ("DialCallDuration", duration.ToString(CultureInfo.InvariantCulture)),
        };
        if (d.Queue is { } q)
        {
            extra.Add(("QueueSid", q.Sid));
        }

        await FetchAndRunAsync(action, d.Resume.Url, Method(d.Verb, "method"), extra, Context.Main);
    }

    // ---- Ending ------------------------------------------------------------------------------

    /// <summary>This side hangs up, wherever the call is.</summary>
    internal async Task HangUpNowAsync()
    {
        if (Ended)
        {
            return;
        }

        Line("event", "hung up");
        switch (State)
        {
            case CallState.InQueue:
                await LeaveQueueAsync("hangup", endCall: true);
                return;
            case CallState.BeingConnected when _enqueue is { } e && e.Dequeuer is { } op:
                // The caller hung up while hearing the guidance: picked up, never connected.
                _sub?.Cancel();
                Truth.QueueResult = "hangup";
                await EndCallAsync("completed");
                await AfterEnqueueAsync(e, "hangup", withQueue: true);
                await op.DialEndedAsync(op._dial!, "completed", bridged: false, duration: 0);
                return;
            case CallState.Talking when _bridge is { } b:
                await EndBridgeAsync(b, hungUpBy: this);
                return;
            case CallState.WaitingForCaller when _dial?.Queue is { } q:
                q.WaitingDialers.Remove(this);
                await EndCallAsync("completed");
                return;
            default:
                await EndCallAsync("completed");
                return;
        }
    }

    private async Task EndBridgeAsync(Connection b, EmulatedCall hungUpBy)
    {
        var customer = b.Customer;
        var op = b.Operator;
        customer._bridge = null;
        op._bridge = null;
        // Talk (handle) time runs from the pickup (the <Queue url> request) to the end of the bridge.
        var talk = (int)Math.Floor((_t.Now - (customer.Truth.AnsweredAt ?? b.Started)).TotalSeconds);
        customer.Truth.TalkSeconds = talk;
        customer.Truth.QueueResult = "bridged";
        customer.Line("event", $"talk ended after {talk} s ({(hungUpBy == customer ? "caller" : "operator")} hung up)");
        var e = customer._enqueue!;
        if (hungUpBy == customer)
        {
            await customer.EndCallAsync("completed");
            await customer.AfterEnqueueAsync(e, "bridged", withQueue: true);
            await op.DialEndedAsync(op._dial!, "completed", bridged: true, duration: talk);
        }
        else
        {
            await op.EndCallAsync("completed");
            customer.State = CallState.InProgress;
            await customer.AfterEnqueueAsync(e, "bridged", withQueue: true);
        }
    }

    private async Task EndCallAsync(string status)
    {
        if (Ended)
        {
            return;
        }

        State = CallState.Completed;
        _sub?.Cancel();
        _gather = null;
        if (_enqueue is { } e)
        {
            e.Queue.Members.RemoveAll(m => m.Call == this);
        }

        if (_dial?.Queue is { } q)
        {
            q.WaitingDialers.Remove(this);
        }

        var duration = _answered ? (int)Math.Floor((_t.Now - Truth.StartedAt).TotalSeconds) : 0;
        Truth.EndedAt = _t.Now;
        Truth.DurationSeconds = duration;
        Line("event", $"call ended: {status}, {duration} s");
        _t.RaiseEnded(this);
        if (_t.Options.StatusCallbackUrl is { } statusUrl)
        {
            var sequence = _statusSequence++;
            _t.At(_t.Now, async () =>
            {
                var parameters = Parameters(
                [
                    ("CallDuration", duration.ToString(CultureInfo.InvariantCulture)),
                    ("Timestamp", _t.Now.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)),
                    ("CallbackSource", "call-progress-events"),
                    ("SequenceNumber", sequence.ToString(CultureInfo.InvariantCulture)),
                ]);
                parameters.RemoveAll(p => p.Key == "CallStatus");
                parameters.Add(KeyValuePair.Create("CallStatus", status));
                await _t.FetchAsync(this, statusUrl, null, _t.Options.Method, parameters, expectTwiml: false);
            });
        }
    }

    // ---- Helpers -----------------------------------------------------------------------------

    private static int Loops(XElement verb)
    {
        var n = Int(verb, "loop", 1);
        return n <= 0 ? 1000 : n;
    }

    private static int Int(XElement verb, string attribute, int fallback) =>
        int.TryParse(verb.Attribute(attribute)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private static string Method(XElement verb, string attribute) =>
        verb.Attribute(attribute)?.Value is "GET" ? "GET" : "POST";

    private enum Context
    {
        Main,
        Wait,
        Whisper,
        Prompt,
    }

    private sealed class Frame(List<XElement> verbs, string url, Context context)
    {
        public List<XElement> Verbs { get; } = verbs;
        public string Url { get; } = url;
        public Context Context { get; } = context;
        public int Index { get; set; }
        public bool Cancelled { get; set; }
        public DateTimeOffset StartedAt { get; init; }

        public void Cancel() => Cancelled = true;
    }

    private sealed class GatherState(XElement verb, Frame parent, Frame prompts)
    {
        public XElement Verb { get; } = verb;
        public Frame Parent { get; } = parent;
        public Frame Prompts { get; } = prompts;
        public string Digits { get; set; } = "";
        public int Timer { get; set; }
        public bool IsMenu { get; set; }
    }

    private sealed class EnqueueState(EmulatedQueue queue, XElement verb, Frame resume)
    {
        public EmulatedQueue Queue { get; } = queue;
        public XElement Verb { get; } = verb;
        public Frame Resume { get; } = resume;
        public DateTimeOffset? Entered { get; set; }
        public EmulatedCall? Dequeuer { get; set; }
    }

    private sealed class DialState(XElement verb, Frame resume, XElement? queueNoun)
    {
        public XElement Verb { get; } = verb;
        public Frame Resume { get; } = resume;
        public XElement? QueueNoun { get; } = queueNoun;
        public EmulatedQueue? Queue { get; set; }
    }

    private sealed record Connection(EmulatedCall Customer, EmulatedCall Operator, DateTimeOffset Started);
}
