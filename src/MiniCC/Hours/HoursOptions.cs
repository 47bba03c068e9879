using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Hours;

/// <summary>
/// The <c>MiniCC:Hours</c> section: when the center takes calls. Not configured (no <see cref="Weekly"/>), MiniCC is
/// always open, as it always was.
/// </summary>
public sealed class HoursOptions
{
    public const string Section = "MiniCC:Hours";

    /// <summary>IANA time zone of the hours; empty: <c>MiniCC:Reports:TimeZone</c>.</summary>
    public string? TimeZone { get; set; }

    /// <summary>
    /// Day of the week (Monday … Sunday) → its open ranges ("09:00-12:00", "13:00-18:00"); a day not listed, or
    /// listed with no range, is closed. Empty: always open, and every other setting here is refused.
    /// </summary>
    public Dictionary<string, List<string>> Weekly { get; set; } = [];

    /// <summary><c>JP</c>: Japan's national holidays close the center; <c>none</c>: they are ordinary days.</summary>
    public string Holidays { get; set; } = HoursRules.JapanHolidays;

    /// <summary>The center's own closed days: <c>2026-08-13</c>, <c>2026-12-29..2027-01-03</c>, or every year <c>12-29..01-03</c>.</summary>
    public List<string> ClosedDays { get; set; } = [];

    /// <summary>Date (<c>2026-12-28</c>) → that day's ranges, whatever the weekly hours, holidays and closed days say; none closes it.</summary>
    public Dictionary<string, List<string>> SpecialHours { get; set; } = [];

    /// <summary>When set, closed callers hear this audio instead of the spoken closed message.</summary>
    public string? ClosedAudioUrl { get; set; }
}

internal sealed class HoursOptionsValidator : IValidateOptions<HoursOptions>
{
    public ValidateOptionsResult Validate(string? name, HoursOptions o)
    {
        var p = new SettingProblems(HoursOptions.Section);
        p.Check(string.IsNullOrEmpty(o.TimeZone) || TimeZones.Find(o.TimeZone) is not null,
            $"{p.Key(nameof(o.TimeZone))} '{o.TimeZone}' is not a time zone (use an IANA name such as Asia/Tokyo, or leave it empty for MiniCC:Reports:TimeZone).");
        p.Check(string.IsNullOrEmpty(o.ClosedAudioUrl) || (Uri.TryCreate(o.ClosedAudioUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
            $"{p.Key(nameof(o.ClosedAudioUrl))} must be empty or an absolute http(s) URL.");
        var rules = HoursRules.Parse(o, p);
        if (rules.Weekly is null)
        {
            // Without weekly hours MiniCC is always open: these would be ignored without a word.
            foreach (var (key, set) in new[]
                     {
                         (nameof(o.ClosedDays), o.ClosedDays.Count > 0), (nameof(o.SpecialHours), o.SpecialHours.Count > 0),
                         (nameof(o.ClosedAudioUrl), !string.IsNullOrEmpty(o.ClosedAudioUrl)),
                     })
            {
                p.Check(!set, $"{p.Key(key)} is set but {p.Key(nameof(o.Weekly))} is not: without weekly hours MiniCC is always open. Set the weekly hours too.");
            }
        }
        else
        {
            p.Check(rules.Weekly.Values.Any(r => r.Length > 0),
                $"{p.Key(nameof(o.Weekly))} opens on no day; give at least one day a range such as 09:00-18:00, or leave it out to be always open.");
        }

        return p.Result;
    }
}
