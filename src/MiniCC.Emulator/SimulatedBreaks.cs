namespace MiniCC.Emulator;

/// <summary>
/// Simulated operators who take breaks the way MiniCC's operator loop lets a phone operator: when a break is due they
/// press 9 at the loop's next key prompt (while ready, or in the wrap-up MiniCC gives them after each call), then 1 for
/// the first reason; when it is over they press 1 at the next prompt of the hold. What the keys mean is MiniCC's, so it
/// lives here, in MiniCC's simulation, not in the interpreter; wrap-up itself is MiniCC's and needs no one to act.
/// </summary>
internal sealed class SimulatedBreaks(TwilioEmulator twilio, TimeSpan meanBetween, TimeSpan length)
{
    private const string KeyPath = "/voice/operator-key";
    private const string ReasonPath = "/voice/operator-break";

    /// <summary>Per operator (by number): when the next break is due, and when the current one ends (null: working).</summary>
    private readonly Dictionary<string, (DateTimeOffset Due, DateTimeOffset? Until)> _plans = [];

    public int Breaks { get; private set; }

    public void Start() => twilio.Happened += Observe;

    private void Observe(EmulatedCall call, CallEvent e)
    {
        if (!call.Truth.IsOperator || e is not GatherStarted { InQueue: false } g || g.Gather.Attribute("action")?.Value is not { } action)
        {
            return;
        }

        if (!_plans.TryGetValue(call.From, out var plan))
        {
            _plans[call.From] = plan = (twilio.Now + Exponential(meanBetween), null);
        }

        var keys = plan switch
        {
            { Until: null } when action.EndsWith(KeyPath, StringComparison.Ordinal) && twilio.Now >= plan.Due => "9",
            { Until: null } when action.EndsWith(ReasonPath, StringComparison.Ordinal) => "1",
            { Until: { } until } when action.EndsWith(KeyPath, StringComparison.Ordinal) && twilio.Now >= until => "1",
            _ => null,
        };
        if (keys is null)
        {
            return;
        }

        if (keys == "1" && plan.Until is null)
        {
            _plans[call.From] = (plan.Due, twilio.Now + length);
            Breaks++;
        }
        else if (keys == "1")
        {
            _plans[call.From] = (twilio.Now + Exponential(meanBetween), null);
        }

        twilio.After(TimeSpan.FromSeconds(1), async () =>
        {
            if (call.ListensTo(g.Gather))
            {
                await call.KeysAsync(keys);
            }
        });
    }

    private TimeSpan Exponential(TimeSpan mean) => TimeSpan.FromSeconds(-Math.Log(1 - twilio.Random.NextDouble()) * mean.TotalSeconds);
}
