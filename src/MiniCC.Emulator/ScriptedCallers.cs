namespace MiniCC.Emulator;

/// <summary>
/// The simulated people behind calls with a <see cref="CallerScript"/>: they press their keys when asked (in the menus and
/// in the queue), lose patience in the queue, leave a message after the beep, and end the conversation when they have
/// said what they wanted. They act on the calls' events as a person acts on what they hear; the interpreter only carries
/// their keys, speech and hang-ups to Twilio's rules.
/// </summary>
internal sealed class ScriptedCallers(TwilioEmulator twilio)
{
    private readonly Dictionary<EmulatedCall, int> _gathers = [];
    private readonly Dictionary<EmulatedCall, int> _visits = [];
    private readonly Dictionary<EmulatedCall, int> _queuePresses = [];
    private readonly Dictionary<EmulatedCall, DateTimeOffset> _enteredQueue = [];

    public void Observe(EmulatedCall call, CallEvent e)
    {
        if (call.Script is not { } script)
        {
            return;
        }

        switch (e)
        {
            case GatherStarted { InQueue: false } g:
                var index = Next(_gathers, call) - 1;
                if (index < script.Presses.Count)
                {
                    var keys = script.Presses[index];
                    twilio.After(script.PressAfter, async () =>
                    {
                        if (!call.ListensTo(g.Gather))
                        {
                            return;
                        }

                        if (keys.StartsWith(CallerScript.SpeechPrefix, StringComparison.Ordinal))
                        {
                            await call.SpeechAsync(keys[CallerScript.SpeechPrefix.Length..], CallerScript.SpeechConfidence);
                        }
                        else
                        {
                            await call.KeysAsync(keys);
                        }
                    });
                }

                break;
            case GatherStarted { InQueue: true } g when _queuePresses.GetValueOrDefault(call) < script.QueuePresses.Count:
                // The first key waits for its moment in the queue; each next one answers the Gather that asks for it.
                var pressed = _queuePresses.GetValueOrDefault(call);
                var due = pressed == 0 && _enteredQueue.TryGetValue(call, out var entered) ? entered + script.QueuePressAfter : twilio.Now;
                var at = due > twilio.Now + script.PressAfter ? due : twilio.Now + script.PressAfter;
                twilio.Schedule(at, async () =>
                {
                    if (call.ListensTo(g.Gather) && _queuePresses.GetValueOrDefault(call) == pressed)
                    {
                        _queuePresses[call] = pressed + 1;
                        await call.KeysAsync(script.QueuePresses[pressed]);
                    }
                });
                break;
            case RecordingStarted r:
                var message = script.Message ?? TimeSpan.Zero;
                call.Speak(message);
                if (message > TimeSpan.Zero && script.MessageEnds != MessageEnd.Silence)
                {
                    twilio.After(message, async () =>
                    {
                        if (call.RecordsWith(r.Record))
                        {
                            await (script.MessageEnds == MessageEnd.HangUp ? call.HangUpNowAsync() : call.KeysAsync(script.MessageKey));
                        }
                    });
                }

                break;
            case QueueEntered { Full: false }:
                _enteredQueue[call] = twilio.Now;
                if (script.Patience is not { } patience)
                {
                    break;
                }

                var visit = Next(_visits, call);
                twilio.After(patience, async () =>
                {
                    if (call.State == CallState.InQueue && _visits[call] == visit)
                    {
                        await call.HangUpNowAsync();
                    }
                });
                break;
            case BridgeStarted b:
                var other = b.Other;
                twilio.After(script.TalkTime, async () =>
                {
                    if (call.ConnectedTo == other && other.ConnectedTo == call)
                    {
                        await (script.CallerHangsUpFirst ? call : other).HangUpNowAsync();
                    }
                });
                break;
        }
    }

    private static int Next(Dictionary<EmulatedCall, int> counts, EmulatedCall call) =>
        counts[call] = counts.GetValueOrDefault(call) + 1;
}
