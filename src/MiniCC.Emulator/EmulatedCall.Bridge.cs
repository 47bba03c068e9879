using System.Globalization;

namespace MiniCC.Emulator;

/// <summary>Connected calls, hanging up wherever a call is, the end of a call and its status callbacks.</summary>
public sealed partial class EmulatedCall
{
    /// <summary>Connects this call (whose &lt;Dial&gt; it is) with <paramref name="dialed"/>: a caller from the queue, or a leg that answered.</summary>
    private void Connect(EmulatedCall dialed, bool queued)
    {
        var bridge = new Connection(this, dialed, queued);
        _bridge = bridge;
        dialed._bridge = bridge;
        State = CallState.Talking;
        dialed.State = CallState.Talking;
        dialed.Line("event", "connected to " + Party);
        Line("event", "connected to " + dialed.Party);
        dialed.Notify(new BridgeStarted(this));
        Notify(new BridgeStarted(dialed));
    }

    /// <summary>This side hangs up, wherever the call is.</summary>
    internal async Task HangUpNowAsync()
    {
        if (Ended)
        {
            return;
        }

        Line("event", "hung up");
        if (_recording is { } r)
        {
            // Twilio still requests the Record's action (Digits=hangup) for what was recorded; its TwiML is ignored.
            await EndCallAsync("completed");
            await FinishRecordingAsync(r, "hangup");
            return;
        }

        switch (State)
        {
            case CallState.InQueue:
                await LeaveQueueAsync("hangup", endCall: true);
                return;
            case CallState.BeingConnected when _enqueue is { Dequeuer: { } op } e:
                // The caller hung up while hearing the guidance: picked up, never connected.
                _sub?.Cancel();
                await EndCallAsync("completed");
                await AfterEnqueueAsync(e, "hangup", withQueue: true);
                await op.DialEndedAsync(op._dial!, "completed", bridged: false, duration: 0, CallSid);
                return;
            case CallState.Talking when _bridge is { } b:
                await EndBridgeAsync(b, hungUpBy: this);
                return;
            case CallState.InProgress when _bridge is null && Parent is { _dial: { } pd } dialer && pd.Answered == this:
                // The called party hangs up during its own document (<Number url>): answered, never connected.
                var duration = (int)Math.Floor((_t.Now - _startedAt).TotalSeconds);
                await EndCallAsync("completed");
                await dialer.DialEndedAsync(pd, "completed", bridged: false, duration, CallSid);
                return;
            case CallState.Ringing when Parent is not null:
                await RejectAsync(); // a leg that hangs up before it answers declines the call
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
        var (dialer, dialed, queued) = b;
        dialer._bridge = null;
        dialed._bridge = null;
        var d = dialer._dial!;
        // The Dial's duration runs from the pickup (for a queue, the <Queue url> request) to the end of the bridge.
        var talk = (int)Math.Floor((_t.Now - d.AnsweredAt).TotalSeconds);
        dialed.Line("event", $"talk ended after {talk} s ({(hungUpBy == dialed ? "this side" : "the other side")} hung up)");
        dialed.Notify(new BridgeEnded(dialer, hungUpBy));
        dialer.Notify(new BridgeEnded(dialed, hungUpBy));
        dialer.DialRecorded(d.Verb, d.Resume.Url, d.AnsweredAt, talk);
        if (hungUpBy == dialed)
        {
            await dialed.EndCallAsync("completed");
            if (queued)
            {
                await dialed.AfterEnqueueAsync(dialed._enqueue!, "bridged", withQueue: true);
            }

            await dialer.DialEndedAsync(d, "completed", bridged: true, duration: talk, dialed.CallSid);
            return;
        }

        // The Dial is over though its action will not be requested (the call that made it is gone).
        dialer._dial = null;
        dialer.Notify(new DialEnded("completed", dialed, Bridged: true, talk) { AnsweredAt = d.AnsweredAt });
        await dialer.EndCallAsync("completed");
        if (queued)
        {
            // The queued caller goes on: the Enqueue action continues the call.
            dialed.State = CallState.InProgress;
            await dialed.AfterEnqueueAsync(dialed._enqueue!, "bridged", withQueue: true);
        }
        else
        {
            await dialed.EndCallAsync("completed"); // a leg ends with the call that dialled it
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
        _enqueue?.Queue.Members.RemoveAll(m => m.Call == this);
        if (_dial is { } d)
        {
            d.Queue?.WaitingDialers.Remove(this);
            foreach (var leg in d.Legs.Where(l => l.State == CallState.Ringing).ToList())
            {
                await leg.EndCallAsync("canceled"); // the caller hung up before anyone answered
            }

            if (d.Answered is { _bridge: null } screening && screening.Parent == this)
            {
                await screening.EndCallAsync("completed"); // it was hearing its <Number url> document
            }

            _dial = null;
            Notify(new DialEnded("canceled", d.Answered ?? d.Legs.LastOrDefault(), Bridged: false, 0) { AnsweredAt = d.Answered is null ? null : d.AnsweredAt });
        }

        var duration = _answered ? (int)Math.Floor((_t.Now - _startedAt).TotalSeconds) : 0;
        Line("event", $"call ended: {status}, {duration} s");
        Notify(new CallFinished(status, duration));
        _t.RaiseEnded(this);
        StatusCallback("completed", status, duration);
    }

    /// <summary>
    /// Sends the status callback of <paramref name="progress"/> (initiated, ringing, answered, completed) when the call's
    /// configuration asks for it: a number's or an App's reports only the end; a &lt;Dial&gt; noun's, the events it lists.
    /// </summary>
    private void StatusCallback(string progress, string status, int? duration = null)
    {
        if (_route.StatusCallbackUrl is not { } url || !_route.StatusEvents.Contains(progress))
        {
            return;
        }

        var sequence = _statusSequence++;
        _t.At(_t.Now, async () =>
        {
            var extra = new List<(string, string)>();
            if (duration is { } seconds)
            {
                extra.Add(("CallDuration", seconds.ToString(CultureInfo.InvariantCulture)));
            }

            extra.Add(("Timestamp", _t.Now.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)));
            extra.Add(("CallbackSource", "call-progress-events"));
            extra.Add(("SequenceNumber", sequence.ToString(CultureInfo.InvariantCulture)));
            await _t.FetchAsync(this, url, null, _route.Method, Parameters(extra, status));
        });
    }
}
