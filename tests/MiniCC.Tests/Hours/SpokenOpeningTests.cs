using MiniCC.Hours;

namespace MiniCC.Tests.Hours;

/// <summary>The next opening as a person says it, in Japanese and English, relative to now (Wednesday 2026-11-25, 20:00 in Tokyo).</summary>
public sealed class SpokenOpeningTests
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
    private static readonly DateTimeOffset Now = new(2026, 11, 25, 20, 0, 0, TimeSpan.FromHours(9));

    [Theory]
    [InlineData("2026-11-26T09:00", "明日、11月26日木曜日の午前9時から", "tomorrow, Thursday, November 26, at 9 AM")]
    [InlineData("2026-11-25T21:30", "本日の午後9時30分から", "today at 9:30 PM")]
    [InlineData("2026-11-28T12:00", "11月28日土曜日の正午から", "on Saturday, November 28, at noon")]
    [InlineData("2026-11-30T12:15", "11月30日月曜日の午後0時15分から", "on Monday, November 30, at 12:15 PM")]
    [InlineData("2027-01-04T09:00", "2027年1月4日月曜日の午前9時から", "on Monday, January 4, 2027, at 9 AM")]
    [InlineData("2026-11-27T00:00", "11月27日金曜日の午前0時から", "on Friday, November 27, at midnight")]
    public void TheNextOpeningIsSaidAsAPersonSaysIt(string local, string ja, string en)
    {
        var opening = DateTimeOffset.Parse(local + "+09:00", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(ja, SpokenOpening.Say(opening, Now, Tokyo, "ja-JP"));
        Assert.Equal(en, SpokenOpening.Say(opening, Now, Tokyo, "en-US"));
    }

    [Fact]
    public void TodayAndTomorrowAreTheHoursZonesDaysNotUtcs()
    {
        // 16:00 UTC on the 25th is already the 26th in Tokyo: 09:00 on the 26th is today there, not tomorrow.
        var now = new DateTimeOffset(2026, 11, 25, 16, 0, 0, TimeSpan.Zero);
        var opening = new DateTimeOffset(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal("today at 9 AM", SpokenOpening.Say(opening, now, Tokyo, "en-US"));
        Assert.Equal("tomorrow, Thursday, November 26, at midnight", SpokenOpening.Say(opening, now, TimeZoneInfo.Utc, "en-US"));
    }
}
