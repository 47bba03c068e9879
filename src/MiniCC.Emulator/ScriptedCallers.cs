namespace MiniCC.Emulator;

/// <summary>
/// The simulated people behind calls with a <see cref="CallerScript"/>: they press their keys when asked, lose patience
/// in the queue, and end the conversation when they have said what they wanted. They act on the calls' events as a
/// person acts on what they hear; the interpreter only carries their keys and hang-ups to Twilio's rules.
/// </summary>
internal sealed class ScriptedCallers(TwilioEmulator twilio)
{
    private readonly Dictionary<EmulatedCall, int> _gathers = [];
    private readonly Dictionary<EmulatedCall, int> _visits = [];

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
                        if (call.ListensTo(g.Gather))
                        {
                            await call.KeysAsync(keys);
                        }
                    });
                }

                break;
            case QueueEntered { Full: false } when script.Patience is { } patience:
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
