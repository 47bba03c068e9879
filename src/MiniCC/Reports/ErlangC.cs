namespace MiniCC.Reports;

/// <summary>What Erlang C predicts for one interval with a given number of operators.</summary>
public sealed record StaffingResult(
    int Agents, int Scheduled, double TrafficErlangs, double ServiceLevel, double ProbabilityOfWaiting,
    double AverageSpeedOfAnswerSeconds, double Occupancy);

/// <summary>
/// Erlang C (M/M/N): calls arrive at random, handle times are exponential, nobody abandons.
/// Computed through the Erlang B recurrence, B(0)=1, B(k)=A·B(k-1)/(k+A·B(k-1)), and
/// C = N·B / (N − A·(1 − B)): no factorials or powers, so it stays exact for hundreds of operators.
/// </summary>
public static class ErlangC
{
    /// <summary>Probability that a call waits, with <paramref name="agents"/> operators and <paramref name="erlangs"/> of traffic.</summary>
    public static double ProbabilityOfWaiting(int agents, double erlangs)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(erlangs);
        if (agents <= erlangs)
        {
            return 1.0; // overloaded: the queue grows without bound
        }

        var b = 1.0;
        for (var k = 1; k <= agents; k++)
        {
            b = erlangs * b / (k + (erlangs * b));
        }

        return agents * b / (agents - (erlangs * (1 - b)));
    }

    /// <summary>Share of calls answered within <paramref name="answerWithinSeconds"/>.</summary>
    public static double ServiceLevel(int agents, double erlangs, double ahtSeconds, double answerWithinSeconds)
    {
        if (agents <= erlangs)
        {
            return 0.0;
        }

        var pw = ProbabilityOfWaiting(agents, erlangs);
        return 1 - (pw * Math.Exp(-(agents - erlangs) * answerWithinSeconds / ahtSeconds));
    }

    /// <summary>Mean wait of all calls, seconds.</summary>
    public static double AverageSpeedOfAnswer(int agents, double erlangs, double ahtSeconds) =>
        agents <= erlangs ? double.PositiveInfinity : ProbabilityOfWaiting(agents, erlangs) * ahtSeconds / (agents - erlangs);

    /// <summary>Everything Erlang C predicts for <paramref name="agents"/> operators.</summary>
    public static StaffingResult Evaluate(int agents, double calls, TimeSpan interval, double ahtSeconds, double answerWithinSeconds, double shrinkage = 0)
    {
        var a = Traffic(calls, interval, ahtSeconds);
        return new StaffingResult(
            agents,
            Scheduled(agents, shrinkage),
            a,
            ServiceLevel(agents, a, ahtSeconds, answerWithinSeconds),
            ProbabilityOfWaiting(agents, a),
            AverageSpeedOfAnswer(agents, a, ahtSeconds),
            agents == 0 ? 0 : Math.Min(1, a / agents));
    }

    /// <summary>The fewest operators whose service level reaches <paramref name="target"/> (0–1).</summary>
    public static StaffingResult Required(double calls, TimeSpan interval, double ahtSeconds, double answerWithinSeconds, double target, double shrinkage = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(calls);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(ahtSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(answerWithinSeconds);
        if (interval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(interval), "The interval must be positive.");
        }

        if (target is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(target), "The service-level target is a fraction from 0 up to (not including) 1.");
        }

        if (shrinkage is < 0 or >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(shrinkage), "Shrinkage is a fraction from 0 up to (not including) 1.");
        }

        var a = Traffic(calls, interval, ahtSeconds);
        if (calls == 0)
        {
            return Evaluate(0, calls, interval, ahtSeconds, answerWithinSeconds, shrinkage) with { ServiceLevel = 1, AverageSpeedOfAnswerSeconds = 0, ProbabilityOfWaiting = 0 };
        }

        // ServiceLevel(n) for n = ⌊A⌋+1, ⌊A⌋+2, … with the Erlang B recurrence carried from one n to the next: the same
        // arithmetic as ServiceLevel's, without starting it again for every n (a report asks this for every interval).
        var n = (int)Math.Floor(a) + 1;
        var b = 1.0;
        for (var k = 1; k <= n; k++)
        {
            b = a * b / (k + (a * b));
        }

        while (1 - (n * b / (n - (a * (1 - b))) * Math.Exp(-(n - a) * answerWithinSeconds / ahtSeconds)) < target)
        {
            n++;
            b = a * b / (n + (a * b));
        }

        return Evaluate(n, calls, interval, ahtSeconds, answerWithinSeconds, shrinkage);
    }

    /// <summary>Offered traffic in Erlangs: arrival rate × handle time.</summary>
    public static double Traffic(double calls, TimeSpan interval, double ahtSeconds) => calls * ahtSeconds / interval.TotalSeconds;

    /// <summary>People to schedule so that <paramref name="agents"/> are on the phones after <paramref name="shrinkage"/>.</summary>
    public static int Scheduled(int agents, double shrinkage) =>
        // 14 / (1 - 0.3) is 19.999999999999996 in binary floating point; the rounding guard keeps it 20.
        (int)Math.Ceiling((agents / (1 - shrinkage)) - 1e-9);
}
