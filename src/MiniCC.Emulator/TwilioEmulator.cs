using System.Globalization;
using System.Text.RegularExpressions;

namespace MiniCC.Emulator;

/// <summary>
/// A stand-in for Twilio's Programmable Voice: places inbound calls to an app through an
/// <see cref="HttpClient"/>, interprets its TwiML as Twilio documents it, keeps the queues, rings the Voice SDK
/// devices and phones registered with it, and runs in virtual time (discrete events): nothing happens between
/// events, so an hour takes milliseconds.
/// </summary>
public sealed partial class TwilioEmulator
{
    /// <summary>What a caller hears when Twilio cannot go on with a call and no Fallback URL is configured.</summary>
    public const string ApplicationErrorMessage = "We're sorry, an application error has occurred. Goodbye.";

    private readonly HttpClient _http;
    private readonly PriorityQueue<Func<Task>, (long Ticks, long Seq)> _events = new();
    private readonly Dictionary<string, EmulatedQueue> _queues = new(StringComparer.Ordinal);
    private readonly List<EmulatedCall> _calls = [];
    private readonly List<ApplicationError> _errors = [];
    private readonly List<EmulatedDevice> _devices = [];
    private long _seq;

    public TwilioEmulator(HttpClient http, EmulatorOptions? options = null, VirtualClock? clock = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        Options = options ?? new EmulatorOptions();
        Clock = clock ?? new VirtualClock(Options.Start);
        Random = new Random(Options.Seed);
        GroundTruth = new GroundTruth(Clock, Options.Menu);
        Happened += GroundTruth.Observe;
        Happened += new ScriptedCallers(this).Observe;
        Happened += new SimulatedCallees(this).Observe;
    }

    public EmulatorOptions Options { get; }

    /// <summary>The simulated time; give it to the app as its <see cref="TimeProvider"/>.</summary>
    public VirtualClock Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Every random choice comes from here, so a seed repeats a run exactly.</summary>
    public Random Random { get; }

    /// <summary>The calls that came in (to the number, or from a device to the TwiML App); the legs a &lt;Dial&gt; rings are not among them.</summary>
    public IReadOnlyList<EmulatedCall> Calls => _calls;

    public IReadOnlyList<ApplicationError> ApplicationErrors => _errors;

    /// <summary>Writes every request, response and error as it happens (for --trace).</summary>
    public Action<string>? Trace { get; set; }

    /// <summary>Everything that happens on every call (a leg's too), as it happens.</summary>
    public event Action<EmulatedCall, CallEvent>? Happened;

    /// <summary>Raised when a call ends (after its last verb, a hang-up or an error).</summary>
    public event Action<EmulatedCall>? CallEnded;

    /// <summary>What really happened, read from <see cref="Happened"/> with <see cref="EmulatorOptions.Menu"/>.</summary>
    public GroundTruth GroundTruth { get; }

    /// <summary>The ground truth of every call so far.</summary>
    public IEnumerable<CallTruth> Truth => _calls.Select(GroundTruth.Of);

    public TruthSummary Summary(int shortAbandonSeconds = 5) => TruthSummary.Of(Truth, _errors.Count, shortAbandonSeconds, GroundTruth.Callbacks);

    /// <summary>The ground truth of one queue's callers (by its name at Twilio): what a report of that queue must say.</summary>
    public TruthSummary SummaryOf(string queue, int shortAbandonSeconds = 5) =>
        TruthSummary.Of(Truth.Where(t => t.IsOperator || t.Queue == queue), _errors.Count, shortAbandonSeconds);

    /// <summary>Callers in the queue named <paramref name="name"/> now, first in line first.</summary>
    public IReadOnlyList<EmulatedCall> QueueMembers(string name) =>
        _queues.TryGetValue(name, out var q) ? q.Members.Select(m => m.Call).ToList() : [];

    /// <summary>Places an inbound call from <paramref name="from"/> to the number; its first webhook is answered before this returns.</summary>
    public async Task<EmulatedCall> DialAsync(string from, CallerScript? script = null, string? to = null)
    {
        var call = new EmulatedCall(this, NewSid("CA"), from, to ?? Options.Number, script, NumberRoute());
        await StartNowAsync(call);
        return call;
    }

    /// <summary>Places a call at <paramref name="when"/> (for scenarios that plan ahead); it starts when the time comes.</summary>
    public EmulatedCall PlaceCall(DateTimeOffset when, string from, CallerScript? script = null)
    {
        var call = new EmulatedCall(this, NewSid("CA"), from, Options.Number, script, NumberRoute());
        At(when, () =>
        {
            _calls.Add(call);
            return call.StartAsync();
        });
        return call;
    }

    /// <summary>
    /// A browser with the Voice SDK whose token names <paramref name="identity"/>, registered for incoming calls
    /// (<c>device.register()</c>): &lt;Dial&gt;&lt;Client&gt; rings it. Identities are <c>[A-Za-z0-9_]</c>, at most 121 characters.
    /// </summary>
    public EmulatedDevice RegisterDevice(string identity)
    {
        ArgumentNullException.ThrowIfNull(identity);
        if (!IdentityPattern().IsMatch(identity))
        {
            throw new ArgumentException($"'{identity}' is not a Voice SDK identity: letters, digits and _ only, 1 to 121 characters.", nameof(identity));
        }

        return Register(new EmulatedDevice(this, "client:" + identity, identity));
    }

    /// <summary>A phone at <paramref name="number"/> that &lt;Dial&gt;&lt;Number&gt; rings (for a number nobody registered, see <see cref="Callee"/>).</summary>
    public EmulatedDevice RegisterPhone(string number)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        return Register(new EmulatedDevice(this, number.Trim(), identity: null));
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="when"/> in simulated time.</summary>
    public void Schedule(DateTimeOffset when, Func<Task> action) => At(when, action);

    /// <summary>True while something is still to happen.</summary>
    public bool HasPendingEvents => _events.Count > 0;

    /// <summary>Lets <paramref name="duration"/> of simulated time pass, running everything due in order.</summary>
    public Task AdvanceAsync(TimeSpan duration) => RunUntilAsync(Now + duration);

    /// <summary>Runs every event due up to <paramref name="until"/>, in time order, then sets the clock there.</summary>
    public async Task RunUntilAsync(DateTimeOffset until)
    {
        while (_events.TryPeek(out var action, out var key) && key.Ticks <= until.UtcTicks)
        {
            _events.Dequeue();
            Clock.MoveTo(new DateTimeOffset(key.Ticks, TimeSpan.Zero));
            await action();
        }

        Clock.MoveTo(until);
    }

    /// <summary>Runs until nothing is left to happen (every call ended), or <paramref name="limit"/> of simulated time.</summary>
    public async Task RunToEndAsync(TimeSpan limit)
    {
        var end = Now + limit;
        while (_events.TryPeek(out _, out var key) && key.Ticks <= end.UtcTicks)
        {
            await RunUntilAsync(new DateTimeOffset(key.Ticks, TimeSpan.Zero));
        }
    }

    internal void Notify(EmulatedCall call, CallEvent e) => Happened?.Invoke(call, e);

    internal void RaiseEnded(EmulatedCall call) => CallEnded?.Invoke(call);

    internal void At(DateTimeOffset when, Func<Task> action) =>
        _events.Enqueue(action, (Math.Max(when.UtcTicks, Now.UtcTicks), _seq++));

    internal void After(TimeSpan delay, Func<Task> action) => At(Now + delay, action);

    /// <summary>Runs the events due now (and those they schedule for now).</summary>
    internal Task RunDueAsync() => RunUntilAsync(Now);

    /// <summary>Starts an inbound call now and runs what it causes at this instant.</summary>
    internal async Task StartNowAsync(EmulatedCall call)
    {
        _calls.Add(call);
        At(Now, call.StartAsync);
        await RunDueAsync();
    }

    internal string NewSid(string prefix)
    {
        var bytes = new byte[16];
        Random.NextBytes(bytes);
        return prefix + Convert.ToHexStringLower(bytes);
    }

    internal EmulatedQueue Queue(string name)
    {
        if (!_queues.TryGetValue(name, out var q))
        {
            q = new EmulatedQueue(name, NewSid("QU"), Options.MaxQueueSize);
            _queues[name] = q;
        }

        return q;
    }

    /// <summary>The registered devices a leg to <paramref name="address"/> (<c>client:…</c> or a number) rings.</summary>
    internal IReadOnlyList<EmulatedDevice> DevicesAt(string address) =>
        _devices.Where(d => d.IsRegistered && d.Address == address).ToList();

    internal ApplicationError Error(EmulatedCall call, string url, string reason, int code)
    {
        var e = new ApplicationError(Now, call.CallSid, url, reason) { Code = code };
        _errors.Add(e);
        call.LastError = e;
        Trace?.Invoke($"{Now:HH:mm:ss} {call.CallSid} APPLICATION ERROR {url}: {reason}");
        return e;
    }

    /// <summary>The phone number's configuration: its Voice URL, Fallback URL and Status Callback.</summary>
    private CallRoute NumberRoute() =>
        new("inbound", Options.VoiceUrl, Options.FallbackUrl, Options.StatusCallbackUrl, Options.Method) { FallbackMethod = Options.FallbackMethod };

    private EmulatedDevice Register(EmulatedDevice device)
    {
        _devices.Add(device);
        return device;
    }

    internal static string Seconds(TimeSpan t) => ((long)Math.Floor(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);

    [GeneratedRegex("^[A-Za-z0-9_]{1,121}$")]
    private static partial Regex IdentityPattern();
}

/// <summary>A Twilio queue: FIFO callers, and operators whose &lt;Dial&gt;&lt;Queue&gt; waits for the next one.</summary>
internal sealed class EmulatedQueue(string name, string sid, int maxSize)
{
    public string Name { get; } = name;
    public string Sid { get; } = sid;
    public int MaxSize { get; } = maxSize;
    public List<(EmulatedCall Call, DateTimeOffset Entered)> Members { get; } = [];
    public List<EmulatedCall> WaitingDialers { get; } = [];

    public int PositionOf(EmulatedCall call) => Members.FindIndex(m => m.Call == call) + 1;
}
