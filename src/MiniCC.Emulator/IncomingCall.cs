namespace MiniCC.Emulator;

/// <summary>A call ringing a device: the SDK's <c>Call</c> in the <c>incoming</c> event, until it is accepted, rejected, ignored or gone.</summary>
public sealed class IncomingCall
{
    private readonly EmulatedDevice _device;
    private bool _accepted;
    private bool _ignored;

    internal IncomingCall(EmulatedDevice device, EmulatedCall leg, IReadOnlyDictionary<string, string> custom)
    {
        _device = device;
        Call = leg;
        CustomParameters = custom;
        Parameters = new Dictionary<string, string>(StringComparer.Ordinal) { ["CallSid"] = leg.CallSid, ["From"] = leg.From, ["To"] = leg.To };
    }

    /// <summary>The leg Twilio rang (Direction <c>outbound-dial</c>); once accepted, the device's side of the conversation.</summary>
    public EmulatedCall Call { get; }

    /// <summary><c>call.parameters</c>: CallSid, From, To.</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; }

    /// <summary><c>call.customParameters</c>: the &lt;Client&gt;'s &lt;Parameter&gt; nouns.</summary>
    public IReadOnlyDictionary<string, string> CustomParameters { get; }

    /// <summary><c>call.status()</c>: pending while it rings here, open once accepted here until it ends, closed otherwise.</summary>
    public string Status =>
        Call.State == CallState.Completed ? "closed"
        : _accepted ? "open"
        : _ignored || Call.State != CallState.Ringing ? "closed"
        : "pending";

    /// <summary><c>call.accept()</c>: Twilio connects the call to the one that dialled it; returns the device's side.</summary>
    public async Task<EmulatedCall> AcceptAsync()
    {
        await AcceptNowAsync();
        await _device.Twilio.RunDueAsync();
        return Call;
    }

    /// <summary><c>call.reject()</c>: the call stops ringing everywhere, and Twilio reports the Dial busy.</summary>
    public async Task RejectAsync()
    {
        await Call.RejectAsync();
        await _device.Twilio.RunDueAsync();
    }

    /// <summary><c>call.ignore()</c>: this device stops ringing; the call rings on elsewhere until the Dial's timeout.</summary>
    public void Ignore() => _ignored = true;

    internal async Task AcceptNowAsync()
    {
        if (_ignored)
        {
            throw new InvalidOperationException("An ignored call cannot be accepted.");
        }

        await Call.AcceptAsync();
        _accepted = true;
    }
}
