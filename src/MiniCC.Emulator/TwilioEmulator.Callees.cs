namespace MiniCC.Emulator;

/// <summary>The people at the numbers a &lt;Dial&gt;&lt;Number&gt; calls, and the legs it placed.</summary>
public sealed partial class TwilioEmulator
{
    private readonly Dictionary<string, (IReadOnlyList<CalleeAnswer> Plan, int Used)> _callees = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _attempts = new(StringComparer.Ordinal);
    private readonly List<EmulatedCall> _legs = [];

    /// <summary>
    /// How the customer at <paramref name="number"/> takes each call made to it, first call first; the last entry goes on
    /// for every later one. A number with a registered phone (<see cref="RegisterPhone"/>) rings that phone instead.
    /// </summary>
    public void Callee(string number, params CalleeAnswer[] answers)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number);
        ArgumentNullException.ThrowIfNull(answers);
        if (answers.Length == 0)
        {
            throw new ArgumentException("Say how the callee answers at least once.", nameof(answers));
        }

        _callees[number.Trim()] = (answers, 0);
    }

    /// <summary>
    /// How any other number takes its n-th call (0 first), e.g. drawn from a scenario's shares; null: it rings until the
    /// Dial's timeout, as an unregistered number always did.
    /// </summary>
    public Func<string, int, CalleeAnswer?>? AnyCallee { get; set; }

    /// <summary>Every leg a &lt;Dial&gt; of numbers or clients placed (Direction outbound-dial), each a call with its own transcript.</summary>
    public IReadOnlyList<EmulatedCall> Legs => _legs;

    internal void AddLeg(EmulatedCall leg) => _legs.Add(leg);

    /// <summary>How the customer at <paramref name="number"/> takes this call; null when nobody was set up there.</summary>
    internal CalleeAnswer? AnswerFor(string number)
    {
        if (_callees.TryGetValue(number, out var callee))
        {
            _callees[number] = (callee.Plan, callee.Used + 1);
            return callee.Plan[Math.Min(callee.Used, callee.Plan.Count - 1)];
        }

        var attempt = _attempts[number] = _attempts.GetValueOrDefault(number) + 1;
        return AnyCallee?.Invoke(number, attempt - 1);
    }
}
