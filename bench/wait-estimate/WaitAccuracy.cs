using System.Globalization;
using System.Text.RegularExpressions;
using MiniCC.Emulator;
using MiniCC.Voice;

namespace MiniCC.WaitEstimateBench;

/// <summary>
/// One queued caller's first estimate, as heard in their transcript, against what really happened (the emulator's
/// ground truth). The estimate is made when the wait document is requested, <see cref="QueueTimeAtEstimate"/> seconds
/// into the wait (0 for the first document), so it is compared with the wait left from then: WaitSeconds − that.
/// </summary>
public sealed record WaitSample(string CallSid, string Heard, SpokenWait Spoken, int QueueTimeAtEstimate, bool Answered, int WaitedAfterEstimate)
{
    /// <summary>The number behind the words, in seconds, when the app's log said it (the bench reads it); null otherwise.</summary>
    public double? EstimateSeconds { get; init; }

    /// <summary>
    /// What the words promise, in seconds: "less than a minute" allows 0 to 60, "more than N minutes" N minutes or
    /// more, "about N minutes" is N minutes.
    /// </summary>
    public (double Low, double High) Range => Spoken.Wording switch
    {
        WaitWording.LessThanAMinute => (0, 60),
        WaitWording.MoreThanMinutes => (Spoken.Minutes * 60, double.PositiveInfinity),
        _ => (Spoken.Minutes * 60, Spoken.Minutes * 60),
    };

    /// <summary>
    /// The one wait a listener takes from the words: "less than a minute" as half a minute (the middle of what it
    /// allows), "more than N minutes" as N minutes. Stricter than <see cref="Range"/>: vague words earn nothing.
    /// </summary>
    public double Point => Spoken.Wording == WaitWording.LessThanAMinute ? 30 : Spoken.Minutes * 60;

    /// <summary>How far the wait was from what the words promise (0 within the range).</summary>
    public double RangeError =>
        WaitedAfterEstimate < Range.Low ? Range.Low - WaitedAfterEstimate
        : WaitedAfterEstimate > Range.High ? WaitedAfterEstimate - Range.High
        : 0;

    /// <summary>A caller who hung up after waiting longer than they were told: proof that the estimate was too short.</summary>
    public bool AbandonedPastEstimate => !Answered && WaitedAfterEstimate > Range.High;
}

/// <summary>Median and 90th percentile of absolute errors, in seconds and in percent of the actual wait (of at least a second).</summary>
public sealed record Errors(int Callers, double MedianSeconds, double P90Seconds, double MedianPercent, double P90Percent)
{
    public static Errors Of(IReadOnlyList<WaitSample> answered, Func<WaitSample, double> error) =>
        new(answered.Count,
            DayAccuracy.Percentile(answered.Select(error), 50), DayAccuracy.Percentile(answered.Select(error), 90),
            DayAccuracy.Percentile(answered.Select(s => Percent(error(s), s)), 50), DayAccuracy.Percentile(answered.Select(s => Percent(error(s), s)), 90));

    private static double Percent(double error, WaitSample s) => 100 * error / Math.Max(1, s.WaitedAfterEstimate);
}

/// <summary>
/// The accuracy of one simulated day's estimates, over the callers who heard one and were answered (those who hung up
/// are left out: their whole wait is unknown; they are counted apart, with those who hung up after waiting longer than
/// they were told). Three readings: <see cref="Words"/> (the range the words promise), <see cref="Point"/> (the one
/// wait a listener takes from them), <see cref="Number"/> (the estimate before it was rounded into words); and
/// <see cref="AlwaysLessThanAMinute"/>, the point reading of an estimator that knows nothing and always says "less than a minute".
/// </summary>
public sealed record DayAccuracy(
    int Queued, int Estimated, int AbandonedEstimated, int AbandonedPastEstimate, int LessThanAMinute, int MoreThanCap, double MedianActualSeconds,
    Errors Words, Errors Point, Errors? Number, Errors AlwaysLessThanAMinute)
{
    /// <summary>The day's accuracy from its samples (<paramref name="queued"/>: every customer who entered the queue).</summary>
    public static DayAccuracy Of(IReadOnlyList<WaitSample> samples, int queued)
    {
        ArgumentNullException.ThrowIfNull(samples);
        var answered = samples.Where(s => s.Answered).ToList();
        var withNumber = answered.Where(s => s.EstimateSeconds is not null).ToList();
        return new DayAccuracy(queued, samples.Count, samples.Count(s => !s.Answered), samples.Count(s => s.AbandonedPastEstimate),
            samples.Count(s => s.Spoken.Wording == WaitWording.LessThanAMinute), samples.Count(s => s.Spoken.Wording == WaitWording.MoreThanMinutes),
            Percentile(answered.Select(s => (double)s.WaitedAfterEstimate), 50),
            Errors.Of(answered, s => s.RangeError),
            Errors.Of(answered, s => Math.Abs(s.Point - s.WaitedAfterEstimate)),
            withNumber.Count == 0 ? null : Errors.Of(withNumber, s => Math.Abs(s.EstimateSeconds!.Value - s.WaitedAfterEstimate)),
            Errors.Of(answered, s => Math.Abs(30.0 - s.WaitedAfterEstimate)));
    }

    /// <summary>
    /// Every queued customer's first estimate (per the prompts of <paramref name="prompts"/>) and the truth of their
    /// wait; <paramref name="numbers"/> gives the number behind each call's first estimate, when known.
    /// </summary>
    public static (IReadOnlyList<WaitSample> Samples, int Queued) Samples(IEnumerable<EmulatedCall> calls, PromptSet prompts,
        IReadOnlyDictionary<string, double>? numbers = null)
    {
        ArgumentNullException.ThrowIfNull(calls);
        var words = Patterns(prompts);
        var queued = 0;
        var samples = new List<WaitSample>();
        foreach (var call in calls)
        {
            var truth = call.Truth;
            if (truth.IsOperator || !truth.Queued)
            {
                continue;
            }

            queued++;
            var answered = truth.AnsweredAt is not null;
            if (FirstEstimate(call, words) is not { } heard || truth.WaitSeconds is not { } waited || (!answered && truth.QueueResult != "hangup"))
            {
                continue;
            }

            samples.Add(new WaitSample(call.CallSid, heard.Text, heard.Spoken, heard.QueueTime, answered, Math.Max(0, waited - heard.QueueTime))
            {
                EstimateSeconds = numbers?.GetValueOrDefault(call.CallSid, double.NaN) is { } n && !double.IsNaN(n) ? n : null,
            });
        }

        return (samples, queued);
    }

    /// <summary>
    /// Calibration per wording, callers who hung up included: the median wait after each wording, estimated with the
    /// Kaplan–Meier product-limit method (an answer ends a wait; a hang-up censors it: that caller would have waited at
    /// least that long), beside the median number behind the words and the median wait of the answered callers alone.
    /// </summary>
    public static IEnumerable<(string Heard, int Callers, double? MedianNumber, double KaplanMeierMedian, double AnsweredMedian)> Calibration(
        IEnumerable<WaitSample> samples) =>
        samples.GroupBy(s => s.Spoken).OrderBy(g => g.Key.Wording == WaitWording.LessThanAMinute ? 0 : g.Key.Minutes)
            .Select(g => (g.First().Heard, g.Count(),
                g.Any(s => s.EstimateSeconds is not null) ? Percentile(g.Where(s => s.EstimateSeconds is not null).Select(s => s.EstimateSeconds!.Value), 50) : (double?)null,
                KaplanMeierMedian(g), Percentile(g.Where(s => s.Answered).Select(s => (double)s.WaitedAfterEstimate), 50)));

    private static double KaplanMeierMedian(IEnumerable<WaitSample> samples)
    {
        var atRisk = samples.Count();
        var survival = 1.0;
        foreach (var time in samples.GroupBy(s => s.WaitedAfterEstimate).OrderBy(t => t.Key))
        {
            survival *= 1 - ((double)time.Count(s => s.Answered) / atRisk);
            if (survival <= 0.5)
            {
                return time.Key;
            }

            atRisk -= time.Count();
        }

        return double.PositiveInfinity;
    }

    /// <summary>The <paramref name="p"/>th percentile, interpolated between the two nearest ranks; NaN without a value.</summary>
    public static double Percentile(IEnumerable<double> values, double p)
    {
        var sorted = values.Order().ToArray();
        if (sorted.Length == 0)
        {
            return double.NaN;
        }

        var rank = p / 100 * (sorted.Length - 1);
        var below = (int)Math.Floor(rank);
        var above = Math.Min(below + 1, sorted.Length - 1);
        return sorted[below] + ((rank - below) * (sorted[above] - sorted[below]));
    }

    private sealed record Heard(string Text, SpokenWait Spoken, int QueueTime);

    /// <summary>The first estimate in the transcript, and the QueueTime of the wait request whose document said it.</summary>
    private static Heard? FirstEstimate(EmulatedCall call, IReadOnlyList<(Regex Pattern, WaitWording Wording)> words)
    {
        foreach (var line in call.Transcript.Where(l => l.Kind == "heard"))
        {
            foreach (var (pattern, wording) in words)
            {
                if (pattern.Match(line.Text) is { Success: true } m)
                {
                    var minutes = m.Groups.Count > 1 ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)
                        : wording == WaitWording.AboutAMinute ? 1 : 0;
                    var request = call.Exchanges.Last(e => e.At <= line.At && e.Url.Split('?')[0].EndsWith(VoiceRoutes.Wait, StringComparison.Ordinal));
                    var queueTime = int.Parse(request.Parameters.First(p => p.Key == "QueueTime").Value, CultureInfo.InvariantCulture);
                    return new Heard(line.Text, new SpokenWait(wording, minutes), queueTime);
                }
            }
        }

        return null;
    }

    /// <summary>Each wording's prompt as a pattern that matches exactly that sentence, its {0} a number.</summary>
    private static IReadOnlyList<(Regex, WaitWording)> Patterns(PromptSet p) =>
    [
        .. new[]
        {
            (p.WaitLessThanAMinute, WaitWording.LessThanAMinute), (p.WaitAboutAMinute, WaitWording.AboutAMinute),
            (p.WaitAboutMinutes, WaitWording.AboutMinutes), (p.WaitMoreThanMinutes, WaitWording.MoreThanMinutes),
        }.Select(w => (new Regex("^" + Regex.Escape(w.Item1).Replace(@"\{0}", @"(\d+)", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant), w.Item2)),
    ];
}
