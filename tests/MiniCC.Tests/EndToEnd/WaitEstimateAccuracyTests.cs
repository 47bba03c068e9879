using MiniCC.Emulator;
using MiniCC.Voice;
using MiniCC.WaitEstimateBench;

namespace MiniCC.Tests.EndToEnd;

/// <summary>
/// The estimated wait against the emulator's ground truth on the busy day of the accuracy bench (bench/wait-estimate,
/// whose days and scoring these are; bench/RESULTS.md has every day over several seeds).
/// </summary>
public sealed class WaitEstimateAccuracyTests
{
    [Fact]
    public async Task OnTheBusyDayTheMedianErrorOfTheAnnouncedWaitIsAtMostThirtyPercent()
    {
        using var center = CallCenter.Open("sqlite", new() { ["MiniCC:Language"] = "en-US" }, seed: 1);
        for (var i = 1; i <= Days.Busy.Operators; i++)
        {
            await center.AddOperatorAsync(Scenario.OperatorPhone(i), $"Op {i}");
        }

        await Simulation.RunAsync(center.Twilio, Days.Busy);
        Assert.Empty(center.Twilio.ApplicationErrors);

        var (samples, queued) = DayAccuracy.Samples(center.Twilio.Calls, PromptSet.Find("en-US")!);
        var day = DayAccuracy.Of(samples, queued);
        Assert.True(day.Words.Callers >= 200, $"only {day.Words.Callers} answered callers heard an estimate");
        // What the words promise ("less than a minute": 0 to 60 s; "about 3 minutes": 180 s) against the wait that followed.
        Assert.True(day.Words.MedianPercent <= 30, $"median error {day.Words.MedianPercent:0.0} % (p90 {day.Words.P90Percent:0.0} %)");
        // Words that say nothing would pass that too ("less than a minute" to everyone): read strictly, as the one wait a
        // listener takes from them, they must beat it.
        Assert.True(day.Point.MedianPercent < day.AlwaysLessThanAMinute.MedianPercent - 5,
            $"read strictly {day.Point.MedianPercent:0.0} %, always \"less than a minute\" {day.AlwaysLessThanAMinute.MedianPercent:0.0} %");
    }
}
