using System.Globalization;
using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>The verb loop, and the verbs that need no state of their own: Say, Play, Pause, Redirect, Hangup, Reject, Leave.</summary>
public sealed partial class EmulatedCall
{
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
                    Say(f, verb);
                    return;
                case "Play":
                    var media = verb.Value.Trim();
                    _heard.Add("♪ " + media);
                    Line("heard", "♪ " + media);
                    Continue(f, verb.Attribute("digits") is not null ? TimeSpan.FromSeconds(1) : _t.Options.PlayDuration * Loops(verb));
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
                    await HangupVerbAsync(f);
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
                    RecordVerb(f, verb);
                    return;
            }
        }
    }

    private void Say(Frame f, XElement verb)
    {
        var text = verb.Value.Trim();
        var times = Loops(verb);
        for (var i = 0; i < times; i++)
        {
            _heard.Add(text);
        }

        Line("heard", text);
        Continue(f, TimeSpan.FromSeconds(Math.Max(1, Math.Ceiling(text.Length / _t.Options.SayCharactersPerSecond)) * times));
    }

    private async Task HangupVerbAsync(Frame f)
    {
        switch (f.Context)
        {
            case Context.Wait:
                await LeaveQueueAsync("hangup", endCall: true);
                return;
            case Context.Whisper or Context.Screen:
                // A called party's Hangup declines the call; a whisper gets one only from a text or audio answer.
                await HangUpNowAsync();
                return;
            default:
                await EndCallAsync("completed");
                return;
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
                op.Connect(this, queued: true);
                break;
            case Context.Screen when _bridge is null && Parent is { _dial: { } d } dialer && d.Answered == this:
                dialer.Connect(this, queued: false); // the called party heard it all: now the two talk
                break;
            case Context.Prompt when _gather is { } g && g.Prompts == f:
                StartGatherTimer(g);
                break;
        }
    }

    private static int Loops(XElement verb)
    {
        var n = Int(verb, "loop", 1);
        return n <= 0 ? 1000 : n;
    }

    private static int Int(XElement verb, string attribute, int fallback) =>
        int.TryParse(verb.Attribute(attribute)?.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : fallback;

    private static string Method(XElement verb, string attribute) =>
        verb.Attribute(attribute)?.Value is "GET" ? "GET" : "POST";
}
