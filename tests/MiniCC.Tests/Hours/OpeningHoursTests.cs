using Microsoft.Extensions.Options;
using MiniCC.Hours;
using MiniCC.Reports;

namespace MiniCC.Tests.Hours;

/// <summary>When the center is open, and when it opens next, for instants given in Tokyo time (+09:00) unless said.</summary>
public sealed class OpeningHoursTests
{
    private static readonly List<string> NineToSix = ["09:00-18:00"];

    /// <summary>Weekdays 09:00-18:00, Japan's holidays closed, unless <paramref name="configure"/> says otherwise.</summary>
    internal static OpeningHours Hours(Action<HoursOptions>? configure = null, string reportZone = "Asia/Tokyo")
    {
        var o = new HoursOptions
        {
            Weekly = new()
            {
                ["Monday"] = NineToSix, ["Tuesday"] = NineToSix, ["Wednesday"] = NineToSix, ["Thursday"] = NineToSix, ["Friday"] = NineToSix,
            },
        };
        configure?.Invoke(o);
        Assert.True(new HoursOptionsValidator().Validate(null, o).Succeeded);
        return new OpeningHours(Options.Create(o), Options.Create(new ReportOptions { TimeZone = reportZone }));
    }

    private static DateTimeOffset Tokyo(string local) =>
        DateTimeOffset.Parse(local + "+09:00", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void WithoutWeeklyHoursMiniCCIsAlwaysOpenHolidaysIncluded()
    {
        var hours = new OpeningHours(Options.Create(new HoursOptions()), Options.Create(new ReportOptions()));
        Assert.True(hours.AlwaysOpen);
        foreach (var at in new[] { Tokyo("2026-11-23T03:00:00"), Tokyo("2027-01-01T12:00:00"), Tokyo("2026-11-28T23:59:59") })
        {
            Assert.True(hours.IsOpen(at));
            Assert.Null(hours.NextOpening(at));
        }

        Assert.Equal(DayKind.AlwaysOpen, hours.Day(new DateOnly(2026, 11, 23)).Kind);
    }

    [Fact]
    public void SeveralRangesADayCloseBetweenThemAndOpenAgain()
    {
        var hours = Hours(o => o.Weekly["Tuesday"] = ["13:00-18:00", "09:00-12:00"]);
        Assert.Equal([new OpenRange(9 * 60, 12 * 60), new OpenRange(13 * 60, 18 * 60)], hours.Day(new DateOnly(2026, 11, 24)).Ranges);
        Assert.False(hours.IsOpen(Tokyo("2026-11-24T08:59:59")));
        Assert.True(hours.IsOpen(Tokyo("2026-11-24T09:00:00")));
        Assert.True(hours.IsOpen(Tokyo("2026-11-24T11:59:59")));
        Assert.False(hours.IsOpen(Tokyo("2026-11-24T12:00:00")));
        Assert.Equal(Tokyo("2026-11-24T13:00:00"), hours.NextOpening(Tokyo("2026-11-24T12:30:00")));
        Assert.Equal(Tokyo("2026-11-24T13:00:00"), hours.NextOpening(Tokyo("2026-11-24T09:30:00")));
        Assert.False(hours.IsOpen(Tokyo("2026-11-24T18:00:00")));
        Assert.Equal(Tokyo("2026-11-25T09:00:00"), hours.NextOpening(Tokyo("2026-11-24T18:00:00")));
    }

    [Fact]
    public void ARangeToMidnightCarriesOnIntoTheNextDaysRangeFromMidnight()
    {
        var hours = Hours(o => o.Weekly = new() { ["Friday"] = ["18:00-24:00"], ["Saturday"] = ["00:00-02:00"], ["Monday"] = NineToSix });
        Assert.True(hours.IsOpen(Tokyo("2026-11-27T23:59:59")));
        Assert.True(hours.IsOpen(Tokyo("2026-11-28T00:00:00")));
        Assert.True(hours.IsOpen(Tokyo("2026-11-28T01:59:00")));
        Assert.False(hours.IsOpen(Tokyo("2026-11-28T02:00:00")));
        // Saturday's 00:00 is no opening: the center has been open since Friday 18:00.
        Assert.Equal(Tokyo("2026-11-30T09:00:00"), hours.NextOpening(Tokyo("2026-11-27T19:00:00")));
        Assert.Equal(Tokyo("2026-11-27T18:00:00"), hours.NextOpening(Tokyo("2026-11-27T10:00:00")));
        Assert.Equal(Tokyo("2026-12-04T18:00:00"), hours.NextOpening(Tokyo("2026-12-01T10:00:00")));
    }

    [Fact]
    public void AHolidayOnAWeekdayIsClosedUnlessHolidaysAreOrdinaryDays()
    {
        var hours = Hours();
        var day = hours.Day(new DateOnly(2026, 11, 23));
        Assert.Equal((DayKind.Holiday, "勤労感謝の日"), (day.Kind, day.Holiday!.Ja));
        Assert.Empty(day.Ranges);
        Assert.False(hours.IsOpen(Tokyo("2026-11-23T10:00:00")));
        Assert.Equal(Tokyo("2026-11-24T09:00:00"), hours.NextOpening(Tokyo("2026-11-23T10:00:00")));

        var ordinary = Hours(o => o.Holidays = "none");
        Assert.True(ordinary.IsOpen(Tokyo("2026-11-23T10:00:00")));
        Assert.Equal(DayKind.Weekly, ordinary.Day(new DateOnly(2026, 11, 23)).Kind);
    }

    [Fact]
    public void ASubstituteHolidayIsClosedAndGoldenWeekOpensAfterIt()
    {
        var hours = Hours();
        Assert.Equal("休日（振替休日）", hours.Day(new DateOnly(2026, 5, 6)).Holiday!.Ja);
        Assert.False(hours.IsOpen(Tokyo("2026-05-06T10:00:00")));
        Assert.Equal(Tokyo("2026-05-07T09:00:00"), hours.NextOpening(Tokyo("2026-05-06T10:00:00")));
        Assert.Equal(Tokyo("2026-05-07T09:00:00"), hours.NextOpening(Tokyo("2026-05-01T18:30:00")));
    }

    [Theory]
    [InlineData("2026-12-29..2027-01-03")]
    [InlineData("12-29..01-03")]
    public void AClosedDayRangeOverNewYearClosesEveryDayOfIt(string closed)
    {
        var hours = Hours(o => o.ClosedDays = [closed]);
        Assert.True(hours.IsOpen(Tokyo("2026-12-28T17:59:00")));
        for (var d = new DateOnly(2026, 12, 29); d <= new DateOnly(2027, 1, 3); d = d.AddDays(1))
        {
            Assert.Equal(DayKind.ClosedDay, hours.Day(d).Kind);
        }

        // New Year's Day is still named, though the closed days are why it is closed.
        Assert.Equal("元日", hours.Day(new DateOnly(2027, 1, 1)).Holiday!.Ja);
        Assert.Equal(Tokyo("2027-01-04T09:00:00"), hours.NextOpening(Tokyo("2026-12-28T18:00:00")));
        Assert.Equal(DayKind.Weekly, hours.Day(new DateOnly(2027, 1, 4)).Kind);
        Assert.Equal(closed.StartsWith("12", StringComparison.Ordinal) ? DayKind.ClosedDay : DayKind.Weekly,
            hours.Day(new DateOnly(2027, 12, 29)).Kind);
    }

    [Fact]
    public void SpecialHoursOpenAHolidayAndAnEmptyListClosesAWeekday()
    {
        var hours = Hours(o => o.SpecialHours = new() { ["2026-11-23"] = ["10:00-15:00"], ["2026-11-25"] = [] });
        var holiday = hours.Day(new DateOnly(2026, 11, 23));
        Assert.Equal((DayKind.Special, "勤労感謝の日"), (holiday.Kind, holiday.Holiday!.Ja));
        Assert.True(hours.IsOpen(Tokyo("2026-11-23T14:59:00")));
        Assert.False(hours.IsOpen(Tokyo("2026-11-23T15:00:00")));
        Assert.Equal(Tokyo("2026-11-23T10:00:00"), hours.NextOpening(Tokyo("2026-11-22T20:00:00")));
        Assert.False(hours.IsOpen(Tokyo("2026-11-25T10:00:00")));
        Assert.Equal(Tokyo("2026-11-26T09:00:00"), hours.NextOpening(Tokyo("2026-11-24T18:00:00")));
    }

    [Fact]
    public void SpecialHoursOverrideAClosedDay()
    {
        var hours = Hours(o =>
        {
            o.ClosedDays = ["2026-12-29..2027-01-03"];
            o.SpecialHours = new() { ["2026-12-30"] = ["10:00-12:00"] };
        });
        Assert.Equal(Tokyo("2026-12-30T10:00:00"), hours.NextOpening(Tokyo("2026-12-28T18:00:00")));
        Assert.Equal(Tokyo("2027-01-04T09:00:00"), hours.NextOpening(Tokyo("2026-12-30T10:00:00")));
    }

    [Fact]
    public void DaysAreTheHoursTimeZonesNotUtcs()
    {
        // 16:00 UTC on Tuesday is 01:00 on Wednesday in Tokyo: Wednesday's closed day applies, not Tuesday's hours.
        var at = new DateTimeOffset(2026, 11, 24, 16, 0, 0, TimeSpan.Zero);
        var tokyo = Hours(o => o.ClosedDays = ["2026-11-25"]);
        Assert.Equal(new DateOnly(2026, 11, 25), tokyo.LocalDate(at));
        Assert.False(tokyo.IsOpen(at));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero), tokyo.NextOpening(at));

        var utc = Hours(o => { o.ClosedDays = ["2026-11-25"]; o.TimeZone = "UTC"; });
        Assert.True(utc.IsOpen(at));
        Assert.Equal(new DateTimeOffset(2026, 11, 26, 9, 0, 0, TimeSpan.Zero), utc.NextOpening(at));

        // No zone of its own: the reports' zone.
        var newYork = Hours(reportZone: "America/New_York");
        Assert.Equal("America/New_York", newYork.Zone.Id);
        // 11:00 on Tuesday in New York: open, and next opens on Wednesday morning there.
        Assert.True(newYork.IsOpen(at));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.FromHours(-5)), newYork.NextOpening(at));
    }

    [Fact]
    public void ACenterThatNeverOpensAgainHasNoNextOpening()
    {
        var hours = Hours(o => o.ClosedDays = ["2026-01-01..2099-12-31"]);
        Assert.False(hours.IsOpen(Tokyo("2026-11-24T10:00:00")));
        Assert.Null(hours.NextOpening(Tokyo("2026-11-24T10:00:00")));
    }
}
