using MiniCC.Hours;

namespace MiniCC.Tests.Hours;

public sealed class JapaneseHolidaysTests
{
    /// <summary>
    /// The Cabinet Office's list for 2025–2027 (its CSV names both kinds of 休日 just 「休日」; the kind is added here), as
    /// ShukujitsuSharp's table generated from that CSV, holiday_jp's and the 2027 announcement all give it.
    /// </summary>
    private static readonly (string Date, string Ja, string En)[] Official =
    [
        ("2025-01-01", "元日", "New Year's Day"),
        ("2025-01-13", "成人の日", "Coming of Age Day"),
        ("2025-02-11", "建国記念の日", "National Foundation Day"),
        ("2025-02-23", "天皇誕生日", "Emperor's Birthday"),
        ("2025-02-24", "休日（振替休日）", "Substitute holiday"),
        ("2025-03-20", "春分の日", "Vernal Equinox Day"),
        ("2025-04-29", "昭和の日", "Showa Day"),
        ("2025-05-03", "憲法記念日", "Constitution Memorial Day"),
        ("2025-05-04", "みどりの日", "Greenery Day"),
        ("2025-05-05", "こどもの日", "Children's Day"),
        ("2025-05-06", "休日（振替休日）", "Substitute holiday"),
        ("2025-07-21", "海の日", "Marine Day"),
        ("2025-08-11", "山の日", "Mountain Day"),
        ("2025-09-15", "敬老の日", "Respect for the Aged Day"),
        ("2025-09-23", "秋分の日", "Autumnal Equinox Day"),
        ("2025-10-13", "スポーツの日", "Sports Day"),
        ("2025-11-03", "文化の日", "Culture Day"),
        ("2025-11-23", "勤労感謝の日", "Labor Thanksgiving Day"),
        ("2025-11-24", "休日（振替休日）", "Substitute holiday"),
        ("2026-01-01", "元日", "New Year's Day"),
        ("2026-01-12", "成人の日", "Coming of Age Day"),
        ("2026-02-11", "建国記念の日", "National Foundation Day"),
        ("2026-02-23", "天皇誕生日", "Emperor's Birthday"),
        ("2026-03-20", "春分の日", "Vernal Equinox Day"),
        ("2026-04-29", "昭和の日", "Showa Day"),
        ("2026-05-03", "憲法記念日", "Constitution Memorial Day"),
        ("2026-05-04", "みどりの日", "Greenery Day"),
        ("2026-05-05", "こどもの日", "Children's Day"),
        ("2026-05-06", "休日（振替休日）", "Substitute holiday"),
        ("2026-07-20", "海の日", "Marine Day"),
        ("2026-08-11", "山の日", "Mountain Day"),
        ("2026-09-21", "敬老の日", "Respect for the Aged Day"),
        ("2026-09-22", "休日（国民の休日）", "Citizens' holiday"),
        ("2026-09-23", "秋分の日", "Autumnal Equinox Day"),
        ("2026-10-12", "スポーツの日", "Sports Day"),
        ("2026-11-03", "文化の日", "Culture Day"),
        ("2026-11-23", "勤労感謝の日", "Labor Thanksgiving Day"),
        ("2027-01-01", "元日", "New Year's Day"),
        ("2027-01-11", "成人の日", "Coming of Age Day"),
        ("2027-02-11", "建国記念の日", "National Foundation Day"),
        ("2027-02-23", "天皇誕生日", "Emperor's Birthday"),
        ("2027-03-21", "春分の日", "Vernal Equinox Day"),
        ("2027-03-22", "休日（振替休日）", "Substitute holiday"),
        ("2027-04-29", "昭和の日", "Showa Day"),
        ("2027-05-03", "憲法記念日", "Constitution Memorial Day"),
        ("2027-05-04", "みどりの日", "Greenery Day"),
        ("2027-05-05", "こどもの日", "Children's Day"),
        ("2027-07-19", "海の日", "Marine Day"),
        ("2027-08-11", "山の日", "Mountain Day"),
        ("2027-09-20", "敬老の日", "Respect for the Aged Day"),
        ("2027-09-23", "秋分の日", "Autumnal Equinox Day"),
        ("2027-10-11", "スポーツの日", "Sports Day"),
        ("2027-11-03", "文化の日", "Culture Day"),
        ("2027-11-23", "勤労感謝の日", "Labor Thanksgiving Day"),
    ];

    [Fact]
    public void EveryDayOf2025To2027IsAHolidayExactlyWhenTheOfficialListSaysSoWithItsName()
    {
        var official = Official.ToDictionary(h => DateOnly.Parse(h.Date, System.Globalization.CultureInfo.InvariantCulture));
        var days = 0;
        for (var d = new DateOnly(2025, 1, 1); d <= new DateOnly(2027, 12, 31); d = d.AddDays(1), days++)
        {
            var found = JapaneseHolidays.Find(d);
            if (official.TryGetValue(d, out var h))
            {
                Assert.True(found is not null, $"{d:yyyy-MM-dd} ({h.Ja}) is a holiday");
                Assert.Equal((h.Ja, h.En), (found.Ja, found.En));
            }
            else
            {
                Assert.True(found is null, $"{d:yyyy-MM-dd} is no holiday, not {found?.Ja}");
            }
        }

        Assert.Equal(365 * 3, days);
        Assert.Equal([19, 18, 17], new[] { 2025, 2026, 2027 }.Select(y => JapaneseHolidays.In(y).Count));
    }

    [Theory]
    [InlineData("2025-02-23", "2025-02-24")] // a fixed day on a Sunday: both days are off
    [InlineData("2025-11-23", "2025-11-24")]
    [InlineData("2025-05-04", "2025-05-06")] // rolls over Children's Day (Monday) to Tuesday
    [InlineData("2026-05-03", "2026-05-06")] // rolls over two holidays
    [InlineData("2027-03-21", "2027-03-22")] // an equinox on a Sunday has its substitute too
    public void AHolidayOnASundayStaysAHolidayAndMakesTheNextNonHolidayASubstitute(string sunday, string substitute)
    {
        var s = Day(sunday);
        Assert.Equal(DayOfWeek.Sunday, s.DayOfWeek);
        Assert.DoesNotContain("振替", JapaneseHolidays.Find(s)!.Ja, StringComparison.Ordinal);
        Assert.Equal("Substitute holiday", JapaneseHolidays.Find(Day(substitute))!.En);
        for (var d = s.AddDays(1); d < Day(substitute); d = d.AddDays(1))
        {
            Assert.NotEqual("Substitute holiday", JapaneseHolidays.Find(d)!.En);
        }
    }

    [Fact]
    public void ASaturdayHolidayHasNoSubstitute()
    {
        Assert.Equal("憲法記念日", JapaneseHolidays.Find(Day("2025-05-03"))!.Ja);
        Assert.Equal(DayOfWeek.Saturday, Day("2025-05-03").DayOfWeek);
        Assert.Equal(["2025-05-03", "2025-05-04", "2025-05-05", "2025-05-06"],
            JapaneseHolidays.In(2025).Where(h => h.Date.Month == 5).Select(h => h.Date.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData("2026-09-22")] // between Respect for the Aged Day and the equinox
    [InlineData("2015-09-22")]
    [InlineData("2009-09-22")]
    [InlineData("2019-04-30")] // between Showa Day and the enthronement
    [InlineData("2019-05-02")]
    public void ADayBetweenTwoHolidaysIsACitizensHoliday(string day) =>
        Assert.Equal("Citizens' holiday", JapaneseHolidays.Find(Day(day))!.En);

    [Theory]
    [InlineData("2019-05-01", "天皇の即位の日")]
    [InlineData("2019-10-22", "即位礼正殿の儀の行われる日")]
    [InlineData("2020-07-23", "海の日")]
    [InlineData("2020-07-24", "スポーツの日")]
    [InlineData("2020-08-10", "山の日")]
    [InlineData("2021-07-22", "海の日")]
    [InlineData("2021-07-23", "スポーツの日")]
    [InlineData("2021-08-08", "山の日")]
    [InlineData("2021-08-09", "休日（振替休日）")]
    [InlineData("2018-12-24", "休日（振替休日）")] // the former Emperor's Birthday, 12-23, on a Sunday
    public void TheOneOffDaysOf2019To2021AreHolidays(string day, string name) =>
        Assert.Equal(name, JapaneseHolidays.Find(Day(day))!.Ja);

    [Theory]
    [InlineData("2019-02-23")] // no Emperor's Birthday in 2019
    [InlineData("2019-12-23")]
    [InlineData("2020-07-20")] // Marine Day moved for the Olympics
    [InlineData("2020-10-12")]
    [InlineData("2021-08-11")]
    public void TheDaysTheOneOffActsMovedAreOrdinaryDays(string day) => Assert.Null(JapaneseHolidays.Find(Day(day)));

    private static DateOnly Day(string s) => DateOnly.Parse(s, System.Globalization.CultureInfo.InvariantCulture);
}
