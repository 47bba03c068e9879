using System.Globalization;

namespace MiniCC.Emulator;

/// <summary>A day (or an hour) of a call center: who calls, when, what they want, how patient they are; who answers.</summary>
public sealed record Scenario
{
    /// <summary>How long customers keep arriving.</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Stop after this many customers instead (null: by <see cref="Duration"/>).</summary>
    public int? Calls { get; init; }

    /// <summary>Poisson arrivals: customers per hour.</summary>
    public double ArrivalsPerHour { get; init; } = 120;

    /// <summary>Explicit arrival times (offsets from the start) instead of Poisson arrivals.</summary>
    public IReadOnlyList<TimeSpan>? ScriptedArrivals { get; init; }

    /// <summary>Operators who dial in at the start and stay in the loop until the end.</summary>
    public int Operators { get; init; } = 5;

    /// <summary>Mean talk time (exponential).</summary>
    public TimeSpan MeanTalk { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Mean patience in the queue before hanging up (exponential); null: nobody abandons.</summary>
    public TimeSpan? MeanPatience { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Shares of menu behaviour; the rest press 1.</summary>
    public double InformationShare { get; init; } = 0.10;

    public double NoInputShare { get; init; } = 0.05;

    public double InvalidFirstShare { get; init; } = 0.05;

    /// <summary>Share of conversations the operator ends (the operator then calls in again).</summary>
    public double OperatorEndsShare { get; init; } = 0.2;

    /// <summary>Mean time an operator works between breaks (exponential); null: nobody takes a break.</summary>
    public TimeSpan? MeanTimeBetweenBreaks { get; init; }

    /// <summary>How long a break lasts.</summary>
    public TimeSpan BreakLength { get; init; } = TimeSpan.FromMinutes(10);

    public static string OperatorPhone(int i) => "+8190" + (10000000 + i).ToString(CultureInfo.InvariantCulture);
}

/// <summary>Runs a <see cref="Scenario"/> through a <see cref="TwilioEmulator"/>; the app must know the operators' numbers.</summary>
public static class Simulation
{
    /// <summary>Runs the scenario in virtual time: as fast as the app answers.</summary>
    public static Task<TruthSummary> RunAsync(TwilioEmulator twilio, Scenario scenario, IProgress<double>? progress = null) =>
        RunAsync(twilio, scenario, progress, paced: null, CancellationToken.None);

    /// <summary>Runs the scenario in real time: simulated time never runs ahead of <paramref name="clock"/>.</summary>
    public static Task<TruthSummary> RunPacedAsync(TwilioEmulator twilio, Scenario scenario, Func<DateTimeOffset> clock, CancellationToken ct) =>
        RunAsync(twilio, scenario, null, clock, ct);

    private static async Task<TruthSummary> RunAsync(TwilioEmulator twilio, Scenario scenario, IProgress<double>? progress,
        Func<DateTimeOffset>? paced, CancellationToken ct)
    {
        async Task AdvanceTo(DateTimeOffset target)
        {
            while (paced is not null && paced() < target)
            {
                ct.ThrowIfCancellationRequested();
                await twilio.RunUntilAsync(paced());
                await Task.Delay(20, ct);
            }

            await twilio.RunUntilAsync(target);
        }

        ArgumentNullException.ThrowIfNull(twilio);
        ArgumentNullException.ThrowIfNull(scenario);
        var rng = twilio.Random;
        var start = twilio.Now;
        var arrivalsEnd = start + scenario.Duration;
        var signOff = false;

        // Operators dial in a second apart, and call in again if they end a conversation (their call ends with it).
        for (var i = 1; i <= scenario.Operators; i++)
        {
            twilio.PlaceCall(start + TimeSpan.FromSeconds(i), Scenario.OperatorPhone(i));
        }

        twilio.CallEnded += call =>
        {
            if (call.Truth.IsOperator && !signOff)
            {
                twilio.PlaceCall(twilio.Now + TimeSpan.FromSeconds(5), call.From);
            }
        };

        if (scenario.MeanTimeBetweenBreaks is { } between)
        {
            new SimulatedBreaks(twilio, between, scenario.BreakLength).Start();
        }

        // Customers, planned ahead from the seed.
        var arrivals = new List<TimeSpan>();
        if (scenario.ScriptedArrivals is { } scripted)
        {
            arrivals.AddRange(scripted);
        }
        else
        {
            var t = TimeSpan.Zero;
            var mean = 3600.0 / scenario.ArrivalsPerHour;
            while (true)
            {
                t += TimeSpan.FromSeconds(Math.Round(Exponential(rng, mean)));
                if (scenario.Calls is { } max ? arrivals.Count >= max : t >= scenario.Duration)
                {
                    break;
                }

                arrivals.Add(t);
            }
        }

        var n = 0;
        foreach (var offset in arrivals)
        {
            var roll = rng.NextDouble();
            IReadOnlyList<string> presses = roll < scenario.InformationShare ? ["2"]
                : roll < scenario.InformationShare + scenario.NoInputShare ? []
                : roll < scenario.InformationShare + scenario.NoInputShare + scenario.InvalidFirstShare ? ["9", "1"]
                : ["1"];
            var script = new CallerScript
            {
                Presses = presses,
                PressAfter = TimeSpan.FromSeconds(1 + rng.Next(6)),
                Patience = scenario.MeanPatience is { } p ? TimeSpan.FromSeconds(Math.Max(1, Math.Round(Exponential(rng, p.TotalSeconds)))) : null,
                TalkTime = TimeSpan.FromSeconds(Math.Max(5, Math.Round(Exponential(rng, scenario.MeanTalk.TotalSeconds)))),
                CallerHangsUpFirst = rng.NextDouble() >= scenario.OperatorEndsShare,
            };
            var from = "+8180" + (20000000 + n++).ToString(CultureInfo.InvariantCulture);
            twilio.PlaceCall(start + TimeSpan.FromSeconds(10) + offset, from, script);
        }

        if (arrivals.Count > 0)
        {
            arrivalsEnd = start + TimeSpan.FromSeconds(10) + arrivals[^1];
        }

        // Run the day in steps (for the progress bar), then let the last callers finish.
        var total = arrivalsEnd - start;
        var step = TimeSpan.FromMinutes(5);
        for (var t = start; t < arrivalsEnd; t += step)
        {
            await AdvanceTo(t + step < arrivalsEnd ? t + step : arrivalsEnd);
            progress?.Report(total <= TimeSpan.Zero ? 1 : Math.Min(1, (twilio.Now - start) / total));
        }

        var drainLimit = twilio.Now + TimeSpan.FromHours(6);
        while (twilio.Calls.Any(c => !c.Truth.IsOperator && c.State != CallState.Completed) && twilio.Now < drainLimit)
        {
            await AdvanceTo(twilio.Now + TimeSpan.FromMinutes(1));
        }

        signOff = true;
        foreach (var op in twilio.Calls.Where(c => c.Truth.IsOperator && c.State != CallState.Completed).ToList())
        {
            await op.HangUpAsync();
        }

        await AdvanceTo(twilio.Now + TimeSpan.FromMinutes(2));
        await twilio.RunToEndAsync(TimeSpan.FromHours(1));
        progress?.Report(1);
        return twilio.Summary();
    }

    private static double Exponential(Random rng, double mean) => -mean * Math.Log(1 - rng.NextDouble());
}
