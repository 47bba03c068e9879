namespace MiniCC.Tests.Storage;

/// <summary>
/// How quickly webhooks must be answered while the database cannot take their events. The bound under test is
/// short (0.5 s); these limits leave room for a loaded 2-core machine (the suite also runs beside parallel
/// builds) while still failing code that waits for the database (5 s or more per webhook, one after another).
/// </summary>
public static class AnswerTime
{
    /// <summary>No webhook may take longer than this.</summary>
    public static readonly TimeSpan Longest = TimeSpan.FromSeconds(8);

    /// <summary>Half of them within this: Twilio's callers hear no gap.</summary>
    public static readonly TimeSpan Median = TimeSpan.FromSeconds(2);

    public static void AssertQuick(IReadOnlyList<TimeSpan> answeredIn)
    {
        var sorted = answeredIn.Order().ToList();
        var median = sorted[sorted.Count / 2];
        Assert.True(median < Median, $"half the webhooks took {median.TotalSeconds:0.0} s or more: {string.Join(" ", sorted.Select(t => t.TotalSeconds.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture)))}");
        Assert.True(sorted[^1] < Longest, $"a webhook took {sorted[^1].TotalSeconds:0.0} s");
    }
}
