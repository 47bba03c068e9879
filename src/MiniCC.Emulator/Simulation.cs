using System.Globalization;

namespace MiniCC.Emulator;

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
        if (scenario.Start is { } dayStart && dayStart > twilio.Now)
        {
            await twilio.RunUntilAsync(dayStart);
        }

        var start = twilio.Now;
        // Callbacks, voicemails and callees draw from their own sequence: a scenario without them runs as it always did.
        var choices = new Random(unchecked((twilio.Options.Seed * 31) + 13));
        twilio.AnyCallee ??= (_, _) => Callee(choices, scenario);
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

        var menu = twilio.Options.Menu;
        var callbackKey = menu.QueueKeys.FirstOrDefault(k => k.Value == MenuMeaning.Callback).Key;
        var voicemailKey = menu.QueueKeys.FirstOrDefault(k => k.Value == MenuMeaning.Voicemail).Key;
        var n = 0;
        foreach (var offset in arrivals)
        {
            var roll = rng.NextDouble();
            IReadOnlyList<string> presses = scenario.MenuPaths is { } paths ? PathFor(paths, roll)
                : roll < scenario.InformationShare ? ["2"]
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
                Message = TimeSpan.FromSeconds(Math.Max(3, Math.Round(Exponential(choices, scenario.MeanMessage.TotalSeconds)))),
                MessageEnds = choices.NextDouble() < 0.8 ? MessageEnd.Key : MessageEnd.HangUp,
            };
            // Some callers do not wait: they ask for a callback or leave a voicemail by key, and keep their patience till then.
            var choice = choices.NextDouble();
            IReadOnlyList<string> queueKeys = choice < scenario.CallbackShare && callbackKey is not null ? [callbackKey, menu.CallbackConfirmKey]
                : choice < scenario.CallbackShare + scenario.VoicemailShare && voicemailKey is not null ? [voicemailKey]
                : [];
            if (queueKeys.Count > 0)
            {
                script = script with
                {
                    QueuePresses = queueKeys,
                    QueuePressAfter = TimeSpan.FromSeconds(Math.Max(5, Math.Round(Exponential(choices, scenario.MeanTimeBeforeChoice.TotalSeconds)))),
                    Patience = null,
                };
            }

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

        // Operators stay while a callback is still owed, so the day's requests can be served.
        var callbackLimit = twilio.Now + scenario.CallbackDrain;
        while (twilio.Truth.Any(t => t is { CallbackRequested: true, CallbackAnsweredAt: null }) && twilio.Now < callbackLimit)
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

    /// <summary>The path a roll (0–1) falls on, by the paths' shares; past them all, no presses.</summary>
    private static IReadOnlyList<string> PathFor(IReadOnlyList<MenuPath> paths, double roll)
    {
        foreach (var path in paths)
        {
            if (roll < path.Share)
            {
                return path.Presses;
            }

            roll -= path.Share;
        }

        return [];
    }

    /// <summary>How a customer takes one callback, drawn from the scenario's shares.</summary>
    private static CalleeAnswer Callee(Random rng, Scenario scenario)
    {
        var roll = rng.NextDouble();
        return roll < scenario.CalleeAnswerShare
            ? CalleeAnswer.Answers(TimeSpan.FromSeconds(Math.Max(5, Math.Round(Exponential(rng, scenario.MeanTalk.TotalSeconds)))),
                TimeSpan.FromSeconds(3 + rng.Next(13)), calleeHangsUp: rng.NextDouble() >= scenario.OperatorEndsShare)
            : roll < scenario.CalleeAnswerShare + scenario.CalleeBusyShare ? CalleeAnswer.Busy
            : CalleeAnswer.NoAnswer;
    }

    private static double Exponential(Random rng, double mean) => -mean * Math.Log(1 - rng.NextDouble());
}
