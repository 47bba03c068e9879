namespace MiniCC.Emulator;

/// <summary>
/// A phone or a browser with the Voice JavaScript SDK (v2), as a page object: <see cref="ConnectAsync"/> is
/// <c>device.connect({params})</c>, <see cref="IncomingCalls"/> and <see cref="Incoming"/> are its <c>incoming</c> event, and
/// each <see cref="IncomingCall"/> is accepted, rejected or ignored. Registered devices ring on &lt;Dial&gt;&lt;Client&gt;
/// (a browser, <see cref="TwilioEmulator.RegisterDevice"/>) or &lt;Dial&gt;&lt;Number&gt; (<see cref="TwilioEmulator.RegisterPhone"/>).
/// </summary>
public sealed class EmulatedDevice
{
    private static readonly HashSet<string> Standard =
        ["CallSid", "AccountSid", "From", "To", "CallStatus", "ApiVersion", "Direction", "Caller", "Called", "ApplicationSid", "ParentCallSid"];

    private readonly TwilioEmulator _t;
    private readonly List<IncomingCall> _incoming = [];
    private EmulatedCall? _outgoing;

    internal EmulatedDevice(TwilioEmulator twilio, string address, string? identity)
    {
        _t = twilio;
        Address = address;
        Identity = identity;
    }

    /// <summary><c>client:&lt;identity&gt;</c> for a browser, the number for a phone.</summary>
    public string Address { get; }

    /// <summary>The token's identity; null for a phone.</summary>
    public string? Identity { get; }

    internal TwilioEmulator Twilio => _t;

    /// <summary>True while the device takes incoming calls (<c>register()</c> / <c>unregister()</c>).</summary>
    public bool IsRegistered { get; private set; } = true;

    /// <summary>Every call that rang this device, first first.</summary>
    public IReadOnlyList<IncomingCall> IncomingCalls => _incoming;

    /// <summary>The call ringing here now, if any.</summary>
    public IncomingCall? Ringing => _incoming.LastOrDefault(c => c.Status == "pending");

    /// <summary>When set, every incoming call is accepted this long after it starts ringing (the original's web client accepted at once).</summary>
    public TimeSpan? AcceptAfter { get; set; }

    /// <summary>Raised when a call starts ringing here (the SDK's <c>incoming</c> event).</summary>
    public event Action<IncomingCall>? Incoming;

    public void Register() => IsRegistered = true;

    public void Unregister() => IsRegistered = false;

    /// <summary>
    /// <c>device.connect({params})</c>: a call to the TwiML App's Voice URL from <c>client:&lt;identity&gt;</c>, To from
    /// <c>params.To</c> (or empty), ApplicationSid, and every other parameter as its own form parameter on the first request.
    /// Its first webhook is answered before this returns; the call is a page object like any other (PressAsync is
    /// <c>call.sendDigits</c>, HangUpAsync <c>call.disconnect()</c>).
    /// </summary>
    public async Task<EmulatedCall> ConnectAsync(IReadOnlyDictionary<string, string>? parameters = null)
    {
        if (Identity is null)
        {
            throw new InvalidOperationException("A phone places calls with TwilioEmulator.DialAsync; ConnectAsync is a Voice SDK device's.");
        }

        if (_outgoing is { State: not CallState.Completed } || _incoming.Any(c => c.Status == "open"))
        {
            throw new InvalidOperationException($"{Address} is already on a call: the SDK's connect() refuses a second one.");
        }

        var custom = (parameters ?? new Dictionary<string, string>()).Where(p => p.Key != "To").ToList();
        // What Twilio does when a parameter takes a standard name is not documented: refuse rather than guess.
        if (custom.FirstOrDefault(p => Standard.Contains(p.Key)) is { Key: { } clash } && clash.Length > 0)
        {
            throw new ArgumentException($"'{clash}' is one of Twilio's own parameters.", nameof(parameters));
        }

        var o = _t.Options;
        var route = new CallRoute("inbound", o.ClientVoiceUrl, o.ClientFallbackUrl, o.ClientStatusCallbackUrl, o.Method)
        {
            FallbackMethod = o.FallbackMethod,
            Always = [KeyValuePair.Create("ApplicationSid", o.TwimlAppSid)],
            FirstOnly = custom,
        };
        var call = new EmulatedCall(_t, _t.NewSid("CA"), Address, parameters?.GetValueOrDefault("To") ?? "", null, route);
        _outgoing = call;
        await _t.StartNowAsync(call);
        return call;
    }

    internal void Ring(IncomingCall call)
    {
        _incoming.Add(call);
        Incoming?.Invoke(call);
        if (AcceptAfter is { } after)
        {
            _t.After(after, async () =>
            {
                if (call.Status == "pending")
                {
                    await call.AcceptNowAsync();
                }
            });
        }
    }
}
