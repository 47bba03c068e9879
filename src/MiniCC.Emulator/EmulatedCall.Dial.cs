using System.Globalization;
using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>&lt;Dial&gt;: a queue (the operator's side of &lt;Dial&gt;&lt;Queue&gt;), and how a Dial ends and reports to its action.</summary>
public sealed partial class EmulatedCall
{
    private async Task DialAsync(Frame f, XElement verb)
    {
        f.Cancelled = true;
        var d = new DialState(verb, f);
        _dial = d;
        Notify(new DialStarted(verb));
        var timeout = TimeSpan.FromSeconds(Int(verb, "timeout", 30));
        if (verb.Elements().FirstOrDefault(e => e.Name.LocalName == "Queue") is { } queueNoun)
        {
            await DialQueueAsync(d, queueNoun, timeout);
            return;
        }

        if (!CallerIdAllowed(verb))
        {
            // Error 13214: the call goes on with the Dial's action (or next verb) as a failed Dial, with no leg placed.
            var callerId = verb.Attribute("callerId")?.Value;
            _t.Error(this, f.Url, callerId is null
                ? "a Dial from a Voice SDK call needs a callerId (error 13214)"
                : $"callerId {callerId} is not a number of this account or a verified caller ID (error 13214)", 13214);
            Line("event", "Dial refused: invalid callerId");
            await DialEndedAsync(d, "failed", bridged: false, duration: 0, dialCallSid: null);
            return;
        }

        await RingAsync(d, timeout);
    }

    /// <summary>
    /// Twilio's rule for a Dial that calls numbers: callerId must be a Twilio number of the account or a verified caller
    /// ID, or (for a call from a phone) the call's own From or To; a Voice SDK call must give one. Dials of clients only
    /// are not checked (they may show client:name).
    /// </summary>
    private bool CallerIdAllowed(XElement verb)
    {
        if (verb.HasElements && verb.Elements().All(n => n.Name.LocalName != "Number"))
        {
            return true;
        }

        var fromDevice = From.StartsWith("client:", StringComparison.Ordinal);
        if (verb.Attribute("callerId")?.Value.Trim() is not { } callerId)
        {
            return !fromDevice;
        }

        return callerId == _t.Options.Number || _t.Options.CallerIds.Contains(callerId) || (!fromDevice && (callerId == From || callerId == To));
    }

    private async Task DialQueueAsync(DialState d, XElement noun, TimeSpan timeout)
    {
        var queue = _t.Queue(noun.Value.Trim());
        d.QueueNoun = noun;
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
                // Twilio's docs name no status for an empty queue's timeout; no-answer is the likely one. No call was
                // connected, so there is no DialCallSid.
                await DialEndedAsync(d, "no-answer", bridged: false, duration: 0, dialCallSid: null);
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
        e.Waited = waited;
        d.Answered = customer;
        d.AnsweredAt = _t.Now;
        customer.Line("event", $"picked up by {From} after {waited} s");
        Line("event", $"took {customer.From} from {queue.Name}");
        customer.Notify(new Dequeued(this, waited));
        var url = d.QueueNoun!.Attribute("url")?.Value;
        if (url is null)
        {
            Connect(customer, queued: true);
            return;
        }

        await customer.FetchAndRunAsync(url, d.Resume.Url, Method(d.QueueNoun, "method"),
            [("QueueSid", queue.Sid), ("QueueTime", waited.ToString(CultureInfo.InvariantCulture)), ("DequeingCallSid", CallSid)], Context.Whisper);
    }

    /// <summary>
    /// The Dial is over: Twilio requests its action with DialCallStatus, DialCallSid (the call it connected or the leg it
    /// rang last), DialCallDuration and DialBridged, or goes on with the verb after it.
    /// </summary>
    private async Task DialEndedAsync(DialState d, string status, bool bridged, int duration, string? dialCallSid)
    {
        _dial = null;
        var leg = d.Legs.FirstOrDefault(l => l.CallSid == dialCallSid) ?? (d.Answered?.CallSid == dialCallSid ? d.Answered : null);
        Notify(new DialEnded(status, leg, bridged, duration) { AnsweredAt = d.Answered is null ? null : d.AnsweredAt });
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

        var extra = new List<(string, string)> { ("DialCallStatus", status) };
        if (dialCallSid is not null)
        {
            extra.Add(("DialCallSid", dialCallSid));
        }

        extra.Add(("DialBridged", bridged ? "true" : "false"));
        extra.Add(("DialCallDuration", duration.ToString(CultureInfo.InvariantCulture)));
        if (d.Queue is { } q)
        {
            extra.Add(("QueueSid", q.Sid));
        }

        await FetchAndRunAsync(action, d.Resume.Url, Method(d.Verb, "method"), extra, Context.Main);
    }
}
