using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>
/// One call leg, as a page object for tests (<see cref="PressAsync"/>, <see cref="HangUpAsync"/>,
/// <see cref="Heard"/>, <see cref="State"/>), and its TwiML interpreter, split along Twilio's verbs: requests and
/// how Twilio reads an answer (EmulatedCall.Requests.cs), the verb loop with Say/Play/Pause/Redirect/Hangup/Reject/Leave
/// (.Interpreter.cs), Gather (.Gather.cs), Enqueue and the wait URL (.Enqueue.cs), Dial with its Queue, Number and Client
/// nouns and the simulated customers they call (.Dial.cs, .Legs.cs), Record (.Record.cs), and connected calls and their end (.Bridge.cs). It interprets TwiML and nothing more:
/// what the app's keys mean and what really happened are <see cref="GroundTruth"/>'s, read from <see cref="CallEvent"/>s.
/// </summary>
public sealed partial class EmulatedCall
{
    private readonly TwilioEmulator _t;
    private readonly CallRoute _route;
    private readonly List<string> _heard = [];
    private readonly List<TranscriptLine> _transcript = [];
    private readonly List<Exchange> _exchanges = [];
    private bool _answered;
    private bool _anyRequest;
    private DateTimeOffset _startedAt;
    private DateTimeOffset? _fallbackAt;
    private Frame? _sub;
    private GatherState? _gather;
    private EnqueueState? _enqueue;
    private DialState? _dial;
    private Connection? _bridge;
    private int _statusSequence;
    private XElement? _noun;

    internal EmulatedCall(TwilioEmulator twilio, string callSid, string from, string to, CallerScript? script, CallRoute route)
    {
        _t = twilio;
        _route = route;
        CallSid = callSid;
        From = from;
        To = to;
        Script = script;
        PlacedAt = _startedAt = twilio.Now;
    }

    public string CallSid { get; }

    public string From { get; }

    public string To { get; }

    /// <summary><c>inbound</c> (to the number, or from a device to the TwiML App) or <c>outbound-dial</c> (a leg a &lt;Dial&gt; rang).</summary>
    public string Direction => _route.Direction;

    /// <summary>The call whose &lt;Dial&gt; rang this leg; null for an inbound call.</summary>
    public EmulatedCall? Parent => _route.Parent;

    public CallerScript? Script { get; }

    /// <summary>How the simulated customer at this leg's number takes the call (<see cref="TwilioEmulator.Callee"/>); null for anyone else.</summary>
    public CalleeAnswer? Callee { get; private set; }

    public CallState State { get; private set; } = CallState.Ringing;

    /// <summary>Every &lt;Say&gt; text heard, and "♪ url" for each &lt;Play&gt;, in order.</summary>
    public IReadOnlyList<string> Heard => _heard;

    /// <summary>What the caller heard and pressed and every request and response, with times.</summary>
    public IReadOnlyList<TranscriptLine> Transcript => _transcript;

    public IReadOnlyList<Exchange> Exchanges => _exchanges;

    /// <summary>What really happened to this call so far (<see cref="TwilioEmulator.GroundTruth"/>).</summary>
    public CallTruth Truth => _t.GroundTruth.Of(this);

    /// <summary>Everything heard since the call began, as one text (handy for Assert.Contains).</summary>
    public string HeardText => string.Join("\n", _heard);

    /// <summary>The call this one is talking to, when connected.</summary>
    public EmulatedCall? ConnectedTo => _bridge is { } b ? (b.Dialed == this ? b.Dialer : b.Dialed) : null;

    /// <summary>When the call was placed (a planned call starts later).</summary>
    internal DateTimeOffset PlacedAt { get; }

    internal int Requests { get; set; }

    internal bool UseCredentials { get; set; }

    /// <summary>The last application error on this call: what the Fallback URL is told.</summary>
    internal ApplicationError? LastError { get; set; }

    /// <summary>Who this leg is to the other side: the number or client it rang, or the caller.</summary>
    private string Party => Direction == "outbound-dial" ? To : From;

    private bool Ended => State == CallState.Completed;

    /// <summary>Presses keys (each one as DTMF; from a device, <c>call.sendDigits</c>); runs whatever they cause at this instant.</summary>
    public async Task PressAsync(string digits)
    {
        ArgumentNullException.ThrowIfNull(digits);
        await KeysAsync(digits);
        await _t.RunDueAsync();
    }

    /// <summary>
    /// The caller speaks <paramref name="words"/>. A Gather listening for speech (<c>input="speech"</c> or <c>"dtmf speech"</c>)
    /// stops its prompts and posts them as <c>SpeechResult</c>, with <c>Confidence</c> when <paramref name="confidence"/> is
    /// given (Twilio may leave it out). A Gather listening for keys only, or none, hears nothing.
    /// </summary>
    public async Task SpeakAsync(string words, double? confidence = 0.9)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(words);
        await SpeechAsync(words, confidence);
        await _t.RunDueAsync();
    }

    /// <summary>Hangs up this side of the call (from a device, <c>call.disconnect()</c>).</summary>
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

    private void Notify(CallEvent e) => _t.Notify(this, e);

    private enum Context
    {
        Main,
        Wait,
        Whisper,
        Prompt,

        /// <summary>The &lt;Number url&gt; (or &lt;Client url&gt;) document the called party hears after answering, before the bridge.</summary>
        Screen,
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

        /// <summary>What the caller said, when speech ended the Gather.</summary>
        public (string Words, double? Confidence)? Speech { get; set; }
    }

    private sealed class EnqueueState(EmulatedQueue queue, XElement verb, Frame resume)
    {
        public EmulatedQueue Queue { get; } = queue;
        public XElement Verb { get; } = verb;
        public Frame Resume { get; } = resume;
        public DateTimeOffset? Entered { get; set; }
        public EmulatedCall? Dequeuer { get; set; }

        /// <summary>Whole seconds in the queue, fixed when the caller was picked up or left: Twilio's QueueTime from then on.</summary>
        public int? Waited { get; set; }
    }

    /// <summary>One &lt;Dial&gt;: a queue it waits on, or the legs it rings; then who answered, and when.</summary>
    private sealed class DialState(XElement verb, Frame resume)
    {
        public XElement Verb { get; } = verb;
        public Frame Resume { get; } = resume;
        public XElement? QueueNoun { get; set; }
        public EmulatedQueue? Queue { get; set; }
        public List<EmulatedCall> Legs { get; } = [];
        public EmulatedCall? Answered { get; set; }
        public DateTimeOffset AnsweredAt { get; set; }
    }

    /// <summary>Two connected calls: the one whose &lt;Dial&gt; connected them, and a queued caller (who goes on afterwards) or a leg.</summary>
    private sealed record Connection(EmulatedCall Dialer, EmulatedCall Dialed, bool Queued);
}
