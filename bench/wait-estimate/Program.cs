using System.Globalization;
using MiniCC.Emulator;
using MiniCC.Voice;

namespace MiniCC.WaitEstimateBench;

/// <summary>
/// The estimated wait's accuracy: simulated days (<see cref="Days"/>) through the Twilio emulator, against MiniCC hosted
/// in memory on a fresh SQLite file per run (<see cref="DayRun"/>); for every caller, the first estimate heard in their
/// transcript against their actual wait (<see cref="DayAccuracy"/>, which says how each reading is scored). Prints one
/// Markdown row per day and seed, and a row per day over all seeds.
/// <code>
/// dotnet run -c Release --project bench/wait-estimate -- [--seeds 1,2,3] [--hours 8] [--day name:perHour:operators:patience]
///     [--samples /tmp/samples.csv] [--MiniCC:WaitEstimate:…=…]
/// </code>
/// Any other <c>--Key=Value</c> argument is passed to MiniCC as a setting (to try the estimate's settings).
/// </summary>
internal static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var seeds = new List<int> { 1, 2, 3, 4, 5 };
        double? hours = null;
        string? samplesPath = null;
        var settings = new List<string>();
        var days = new List<(string Name, Scenario Scenario)>();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--seeds":
                    seeds = [.. args[++i].Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))];
                    break;
                case "--hours":
                    hours = double.Parse(args[++i], CultureInfo.InvariantCulture);
                    break;
                case "--day":
                    // name:arrivals per hour:operators:mean patience in seconds, instead of the bench's days
                    var d = args[++i].Split(':');
                    days.Add((d[0], Days.Quiet with
                    {
                        ArrivalsPerHour = double.Parse(d[1], CultureInfo.InvariantCulture), Operators = int.Parse(d[2], CultureInfo.InvariantCulture),
                        MeanPatience = TimeSpan.FromSeconds(double.Parse(d[3], CultureInfo.InvariantCulture)),
                    }));
                    break;
                case "--samples":
                    samplesPath = args[++i];
                    break;
                default:
                    settings.Add(args[i]);
                    break;
            }
        }

        var prompts = PromptSet.Find("en-US")!;
        using var samplesFile = samplesPath is null ? null : new StreamWriter(samplesPath);
        samplesFile?.WriteLine("day,seed,call,heard,queue_time,answered,waited_after_estimate,estimate_seconds,range_error_seconds");
        Console.WriteLine("| day | seed | queued | heard an estimate | answered | hung up (after waiting longer than told) | \"less than a minute\" | \"more than\" | median actual wait s | words: median / p90 error s | words: median / p90 error % | point: median / p90 error s | point: median / p90 error % | number: median / p90 error % | always \"less than a minute\": median error % |");
        Console.WriteLine("|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
        var pooled = new List<(string Name, List<WaitSample> Samples)>();
        foreach (var (name, day) in days.Count > 0 ? days : Days.All)
        {
            var scenario = hours is { } h ? day with { Duration = TimeSpan.FromHours(h) } : day;
            var all = new List<WaitSample>();
            var queued = 0;
            foreach (var seed in seeds)
            {
                var (samples, dayQueued) = await DayRun.RunAsync(scenario, seed, settings, prompts);
                Console.WriteLine(Row(name, seed.ToString(CultureInfo.InvariantCulture), DayAccuracy.Of(samples, dayQueued)));
                all.AddRange(samples);
                queued += dayQueued;
                foreach (var s in samples)
                {
                    samplesFile?.WriteLine(string.Join(',', name, seed, s.CallSid, '"' + s.Heard + '"', s.QueueTimeAtEstimate, s.Answered, s.WaitedAfterEstimate,
                        s.EstimateSeconds?.ToString("0", CultureInfo.InvariantCulture), s.RangeError.ToString("0", CultureInfo.InvariantCulture)));
                }
            }

            Console.WriteLine(Row($"**{name}**", "all", DayAccuracy.Of(all, queued)));
            pooled.Add((name, all));
        }

        Console.WriteLine();
        Console.WriteLine("| day | heard | callers | median number behind the words s | median wait after it s (Kaplan–Meier, hang-ups censored) | median wait of the answered alone s |");
        Console.WriteLine("|---|---|--:|--:|--:|--:|");
        foreach (var (name, all) in pooled)
        {
            foreach (var c in DayAccuracy.Calibration(all))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {name} | {c.Heard} | {c.Callers} | {c.MedianNumber:0} | {c.KaplanMeierMedian:0} | {c.AnsweredMedian:0} |"));
            }
        }

        return 0;
    }

    private static string Row(string day, string seed, DayAccuracy a) => string.Create(CultureInfo.InvariantCulture,
        $"| {day} | {seed} | {a.Queued} | {a.Estimated} | {a.Words.Callers} | {a.AbandonedEstimated} ({a.AbandonedPastEstimate}) | {a.LessThanAMinute} | {a.MoreThanCap} | {a.MedianActualSeconds:0} | {a.Words.MedianSeconds:0} / {a.Words.P90Seconds:0} | {a.Words.MedianPercent:0.0} / {a.Words.P90Percent:0.0} | {a.Point.MedianSeconds:0} / {a.Point.P90Seconds:0} | {a.Point.MedianPercent:0.0} / {a.Point.P90Percent:0.0} | {a.Number?.MedianPercent:0.0} / {a.Number?.P90Percent:0.0} | {a.AlwaysLessThanAMinute.MedianPercent:0.0} |");
}
