namespace MiniCC.Emulator;

/// <summary>What happens when a &lt;Dial&gt;&lt;Number&gt; calls a simulated customer.</summary>
public enum CalleeOutcome
{
    /// <summary>Picks up after <see cref="CalleeAnswer.After"/>, hears the &lt;Number url&gt; document if any, then talks.</summary>
    Answers,

    /// <summary>A busy signal after <see cref="CalleeAnswer.After"/>: DialCallStatus busy.</summary>
    Busy,

    /// <summary>Rings until the Dial's timeout: DialCallStatus no-answer.</summary>
    NoAnswer,

    /// <summary>The call cannot be placed (no such number): DialCallStatus failed, at once.</summary>
    Failed,
}

/// <summary>
/// One call to a simulated customer's number, as <see cref="TwilioEmulator.Callee"/> plans them per attempt:
/// <c>twilio.Callee("+81312345678", CalleeAnswer.Busy, CalleeAnswer.Answers(talk: TimeSpan.FromSeconds(60)))</c>.
/// </summary>
public sealed record CalleeAnswer
{
    public CalleeOutcome Outcome { get; init; }

    /// <summary>How long it rings before the customer answers (or the busy signal comes).</summary>
    public TimeSpan After { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long the customer talks once connected.</summary>
    public TimeSpan Talk { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Who ends the conversation: the customer (true), or the side that dialled (it hangs up its whole call).</summary>
    public bool CalleeHangsUp { get; init; } = true;

    /// <summary>Keys the customer presses, one entry per &lt;Gather&gt; of the &lt;Number url&gt; document, 2 s after each starts.</summary>
    public IReadOnlyList<string> Presses { get; init; } = [];

    public static CalleeAnswer Busy { get; } = new() { Outcome = CalleeOutcome.Busy, After = TimeSpan.FromSeconds(2) };

    public static CalleeAnswer NoAnswer { get; } = new() { Outcome = CalleeOutcome.NoAnswer };

    public static CalleeAnswer Failed { get; } = new() { Outcome = CalleeOutcome.Failed, After = TimeSpan.Zero };

    /// <summary>Answers after <paramref name="after"/> (5 s by default) and talks for <paramref name="talk"/>.</summary>
    public static CalleeAnswer Answers(TimeSpan talk, TimeSpan? after = null, bool calleeHangsUp = true) =>
        new() { Outcome = CalleeOutcome.Answers, Talk = talk, After = after ?? TimeSpan.FromSeconds(5), CalleeHangsUp = calleeHangsUp };
}

/// <summary>
/// The simulated customers a &lt;Dial&gt;&lt;Number&gt; reached: they press their keys in the &lt;Number url&gt; document
/// and end the conversation (or let the other side end it) after their talk time.
/// </summary>
internal sealed class SimulatedCallees(TwilioEmulator twilio)
{
    private readonly Dictionary<EmulatedCall, int> _gathers = [];

    public void Observe(EmulatedCall leg, CallEvent e)
    {
        if (leg.Callee is not { } answer)
        {
            return;
        }

        switch (e)
        {
            case GatherStarted g:
                var index = _gathers[leg] = _gathers.GetValueOrDefault(leg) + 1;
                if (index <= answer.Presses.Count)
                {
                    twilio.After(TimeSpan.FromSeconds(2), async () =>
                    {
                        if (leg.ListensTo(g.Gather))
                        {
                            await leg.KeysAsync(answer.Presses[index - 1]);
                        }
                    });
                }

                break;
            case BridgeStarted b:
                var other = b.Other;
                twilio.After(answer.Talk, async () =>
                {
                    if (leg.ConnectedTo == other)
                    {
                        await (answer.CalleeHangsUp ? leg : other).HangUpNowAsync();
                    }
                });
                break;
        }
    }
}
