using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Reports;

/// <summary>The <c>MiniCC:Reports</c> section: how the history is turned into numbers.</summary>
public sealed class ReportOptions
{
    public const string Section = "MiniCC:Reports";

    /// <summary>IANA time zone for days and intervals (times are stored in UTC).</summary>
    public string TimeZone { get; set; } = "Asia/Tokyo";

    /// <summary>An abandon within this many seconds is a short abandon (a caller who changed their mind, not a failure).</summary>
    public int ShortAbandonSeconds { get; set; } = 5;

    /// <summary>T in "X% answered within T seconds".</summary>
    public int ServiceLevelSeconds { get; set; } = 20;

    /// <summary>Service-level target, percent: what Erlang C staffs for, and what the wallboard colours the service level against.</summary>
    public double ServiceLevelTargetPercent { get; set; } = 80;

    /// <summary>The highest abandon rate (abandoned / offered), percent, that the wallboard shows as on target.</summary>
    public double AbandonRateTargetPercent { get; set; } = 5;

    /// <summary>Which of the published service-level formulas to use (see <see cref="ServiceLevelFormula"/>).</summary>
    public string ServiceLevelFormula { get; set; } = Reports.ServiceLevelFormula.Default;

    public TimeZoneInfo Zone => TimeZoneInfo.FindSystemTimeZoneById(TimeZone);
}

/// <summary>The service-level variants in use in the industry; the chosen one's name is shown with the number.</summary>
public static class ServiceLevelFormula
{
    /// <summary>answered ≤ T / (answered + abandoned − short abandons).</summary>
    public const string Default = "answered-within-T/(answered+abandoned-short-abandons)";

    /// <summary>answered ≤ T / answered.</summary>
    public const string AnsweredOnly = "answered-within-T/answered";

    /// <summary>answered ≤ T / offered.</summary>
    public const string Offered = "answered-within-T/offered";

    /// <summary>answered ≤ T / (answered + abandoned).</summary>
    public const string AnsweredAndAbandoned = "answered-within-T/(answered+abandoned)";

    public static readonly IReadOnlyList<string> All = [Default, AnsweredOnly, Offered, AnsweredAndAbandoned];
}

internal sealed class ReportOptionsValidator : IValidateOptions<ReportOptions>
{
    public ValidateOptionsResult Validate(string? name, ReportOptions o)
    {
        var p = new SettingProblems(ReportOptions.Section);
        p.Check(IsTimeZone(o.TimeZone), $"{p.Key(nameof(o.TimeZone))} '{o.TimeZone}' is not a time zone (use an IANA name such as Asia/Tokyo).");
        p.Range(nameof(o.ShortAbandonSeconds), o.ShortAbandonSeconds, 0, 600);
        p.Range(nameof(o.ServiceLevelSeconds), o.ServiceLevelSeconds, 1, 3600);
        p.Check(o.ServiceLevelTargetPercent is > 0 and < 100,
            $"{p.Key(nameof(o.ServiceLevelTargetPercent))} is {o.ServiceLevelTargetPercent.ToString(System.Globalization.CultureInfo.InvariantCulture)}; it must be above 0 and below 100.");
        p.Range(nameof(o.AbandonRateTargetPercent), o.AbandonRateTargetPercent, 0, 100);
        p.Check(ServiceLevelFormula.All.Contains(o.ServiceLevelFormula),
            $"{p.Key(nameof(o.ServiceLevelFormula))} must be one of: {string.Join(", ", ServiceLevelFormula.All)}.");
        return p.Result;
    }

    private static bool IsTimeZone(string id) => TimeZones.Find(id) is not null;
}
