using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>
/// &lt;Dial&gt; of numbers and clients: one leg (<c>outbound-dial</c>) per noun, rung on every device registered at its
/// address, or taken by the simulated customer at its number (<see cref="TwilioEmulator.Callee"/>); the first to answer
/// hears the noun's <c>url</c> document, if any, while the caller still hears ringing, then is connected, and the
/// others are cancelled. A client nobody registered ends at once with no-answer (as Twilio's call log shows it); a
/// number that cannot exist fails; any other number nobody set up rings until the Dial's timeout.
/// Not emulated (MiniCC uses none of them): <c>sendDigits</c>, and the Dial's <c>hangupOnStar</c>, <c>timeLimit</c>,
/// <c>answerOnBridge</c> and <c>record</c>.
/// </summary>
public sealed partial class EmulatedCall
{
    /// <summary>What Twilio can dial as a number: E.164, or digits with the usual punctuation.</summary>
    [GeneratedRegex(@"^\+?[0-9][0-9 ()\-.]{2,20}$")]
    private static partial Regex PhoneNumber();

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
        var leg = new EmulatedCall(_t, _t.NewSid("CA"), d.Verb.Attribute("callerId")?.Value ?? From, address, null, route) { _noun = noun };
        _t.AddLeg(leg);
        return leg;
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

        if (devices.Count == 0 && _t.AnswerFor(To) is { } answer)
        {
            Callee = answer;
            await CalleeRingsAsync(answer);
            return;
        }

        if (devices.Count == 0 && !PhoneNumber().IsMatch(To))
        {
            Line("event", "no such number: " + To);
            await LegEndedAsync("failed");
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

    /// <summary>The simulated customer at this leg's number: the call fails, or rings and is answered, busy or not answered.</summary>
    private async Task CalleeRingsAsync(CalleeAnswer answer)
    {
        if (answer.Outcome == CalleeOutcome.Failed)
        {
            Line("event", "the call cannot be placed");
            await LegEndedAsync("failed");
            return;
        }

        StatusCallback("ringing", "ringing");
        if (answer.Outcome == CalleeOutcome.NoAnswer)
        {
            return; // the Dial's timeout ends it
        }

        _t.After(answer.After, async () =>
        {
            if (State != CallState.Ringing || Parent is not { _dial: { Answered: null } d } || !d.Legs.Contains(this))
            {
                return;
            }

            if (answer.Outcome == CalleeOutcome.Busy)
            {
                Line("event", "busy");
                await LegEndedAsync("busy");
                return;
            }

            await AcceptAsync();
        });
    }

    /// <summary>
    /// A device or a simulated customer answers this ringing leg: its other legs stop ringing; it hears the noun's
    /// <c>url</c> document (the caller still hears ringing), then the Dial connects it.
    /// </summary>
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
        if (_noun?.Attribute("url")?.Value is { Length: > 0 } url)
        {
            State = CallState.InProgress;
            Line("event", "answered: hearing " + url);
            await FetchAndRunAsync(url, d.Resume.Url, Method(_noun, "method"), [], Context.Screen);
            return;
        }

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
