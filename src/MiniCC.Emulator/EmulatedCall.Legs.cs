using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>
/// &lt;Dial&gt; of numbers and clients: one leg (<c>outbound-dial</c>) per noun, rung on every device registered at its
/// address; the first to accept is connected and the others are cancelled. A client nobody registered ends at once
/// with no-answer (as Twilio's call log shows it); a number nobody registered rings until the Dial's timeout.
/// Not emulated (MiniCC uses none of them): a noun's <c>url</c> (a whisper to the one who answers), and the Dial's
/// <c>hangupOnStar</c>, <c>timeLimit</c>, <c>answerOnBridge</c> and <c>record</c>.
/// </summary>
public sealed partial class EmulatedCall
{
    private async Task RingAsync(DialState d, TimeSpan timeout)
    {
        var nouns = d.Verb.Elements().ToList();
        if (nouns.Count == 0)
        {
            nouns = [new XElement("Number", d.Verb.Value.Trim())]; // <Dial>+8150…</Dial>
        }

        State = CallState.Dialing;
        var legs = nouns.Select(noun => (Leg: NewLeg(d, noun), Noun: noun)).ToList();
        d.Legs.AddRange(legs.Select(l => l.Leg));
        Line("event", "dialing " + string.Join(", ", d.Legs.Select(l => l.To)));
        _t.After(timeout, async () =>
        {
            if (_dial != d || d.Answered is not null)
            {
                return;
            }

            foreach (var leg in d.Legs.Where(l => l.State == CallState.Ringing).ToList())
            {
                await leg.LegEndedAsync("no-answer");
            }
        });
        foreach (var (leg, noun) in legs)
        {
            await leg.RingDevicesAsync(noun);
        }
    }

    private EmulatedCall NewLeg(DialState d, XElement noun)
    {
        var client = noun.Name.LocalName == "Client";
        var address = client ? "client:" + (noun.Element("Identity")?.Value ?? noun.Value).Trim() : noun.Value.Trim();
        var callback = noun.Attribute("statusCallback")?.Value;
        var events = noun.Attribute("statusCallbackEvent")?.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var route = new CallRoute("outbound-dial", null, null, callback is null ? null : new Uri(new Uri(d.Resume.Url), callback).ToString(),
            Method(noun, "statusCallbackMethod"))
        {
            Parent = this,
            StatusEvents = events is { Length: > 0 } ? new HashSet<string>(events, StringComparer.Ordinal) : CallRoute.Completed,
        };
        return new EmulatedCall(_t, _t.NewSid("CA"), d.Verb.Attribute("callerId")?.Value ?? From, address, null, route);
    }

    /// <summary>This leg rings every device registered at its address, with the noun's &lt;Parameter&gt;s.</summary>
    private async Task RingDevicesAsync(XElement noun)
    {
        StatusCallback("initiated", "initiated");
        var devices = _t.DevicesAt(To);
        if (devices.Count == 0 && To.StartsWith("client:", StringComparison.Ordinal))
        {
            Line("event", "no device is registered for " + To);
            await LegEndedAsync("no-answer");
            return;
        }

        StatusCallback("ringing", "ringing");
        var custom = noun.Elements("Parameter")
            .Select(p => KeyValuePair.Create(p.Attribute("name")?.Value ?? "", p.Attribute("value")?.Value ?? ""))
            .Where(p => p.Key.Length > 0)
            .ToDictionary(StringComparer.Ordinal);
        foreach (var device in devices)
        {
            device.Ring(new IncomingCall(device, this, custom));
        }
    }

    /// <summary>A device accepts this ringing leg: the Dial connects it, and its other legs stop ringing.</summary>
    internal async Task AcceptAsync()
    {
        if (State != CallState.Ringing || Parent is not { _dial: { Answered: null } d } parent || !d.Legs.Contains(this))
        {
            throw new InvalidOperationException($"Call {CallSid} is not ringing.");
        }

        foreach (var other in d.Legs.Where(l => l != this && l.State == CallState.Ringing).ToList())
        {
            await other.EndCallAsync("canceled");
        }

        _answered = true;
        _startedAt = _t.Now; // a leg's CallDuration counts from its answer
        d.Answered = this;
        d.AnsweredAt = _t.Now;
        StatusCallback("answered", "in-progress");
        parent.Connect(this, queued: false);
    }

    /// <summary>A device rejects this ringing leg (<c>call.reject()</c>): Twilio reports it busy.</summary>
    internal async Task RejectAsync()
    {
        if (State != CallState.Ringing || Parent is null)
        {
            throw new InvalidOperationException($"Call {CallSid} is not ringing.");
        }

        Line("event", "rejected");
        await LegEndedAsync("busy");
    }

    /// <summary>This leg ended unanswered; when it was the Dial's last one ringing, the Dial ends with its status.</summary>
    private async Task LegEndedAsync(string status)
    {
        await EndCallAsync(status);
        if (Parent is { _dial: { Answered: null } d } parent && d.Legs.Contains(this) && d.Legs.All(l => l.Ended))
        {
            await parent.DialEndedAsync(d, status, bridged: false, duration: 0, CallSid);
        }
    }
}
