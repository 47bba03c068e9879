using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Voice;

/// <summary>The <c>MiniCC:WaitEstimate</c> section: the estimated wait a waiting caller hears after their place in line.</summary>
public sealed class WaitEstimateOptions
{
    public const string Section = "MiniCC:WaitEstimate";

    public bool Enabled { get; set; } = true;

    /// <summary>Above this the caller hears "more than N minutes": a longer estimate is too uncertain to say as a number.</summary>
    public int MaxAnnouncedMinutes { get; set; } = 30;

    /// <summary>How far back the handle time and the callers' patience are read.</summary>
    public int WindowMinutes { get; set; } = 60;

    /// <summary>Answered calls within the window below which nothing is said: too few to know the handle time.</summary>
    public int MinimumRecentCalls { get; set; } = 10;

    /// <summary>
    /// How long one instance reuses what it read from the database. Each waiting caller asks every half minute or so;
    /// this bounds the reads to one per instance per period, and the staleness of the operators' states to it.
    /// </summary>
    public int CacheSeconds { get; set; } = 5;
}

internal sealed class WaitEstimateOptionsValidator : IValidateOptions<WaitEstimateOptions>
{
    public ValidateOptionsResult Validate(string? name, WaitEstimateOptions o)
    {
        var p = new SettingProblems(WaitEstimateOptions.Section);
        // Above ten minutes estimates are said in fives, so a cap between would never be heard as a number; "more than 1
        // minutes" is no sentence.
        p.Check(o.MaxAnnouncedMinutes is >= 2 and <= 10 || (o.MaxAnnouncedMinutes is > 10 and <= 120 && o.MaxAnnouncedMinutes % 5 == 0),
            $"{p.Key(nameof(o.MaxAnnouncedMinutes))} is {o.MaxAnnouncedMinutes}; it must be 2 to 10, or a multiple of 5 up to 120 (longer waits are said in fives).");
        p.Range(nameof(o.WindowMinutes), o.WindowMinutes, 5, 1440, "a day");
        p.Range(nameof(o.MinimumRecentCalls), o.MinimumRecentCalls, 1, 10000);
        p.Range(nameof(o.CacheSeconds), o.CacheSeconds, 0, 60, "the wait document is asked every half minute or so");
        return p.Result;
    }
}
