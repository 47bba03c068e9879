using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Time.Testing;
using MiniCC.Hours;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Hours;

/// <summary>MiniCC:Hours as it is configured (environment variables, JSON's empty lists), and refused at start when it does not read.</summary>
public sealed class HoursSettingsTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("MiniCC__Hours__Weekly__Monday__0", "9-18", "MiniCC:Hours:Weekly:Monday:0 is '9-18'; a range is HH:mm-HH:mm within one day")]
    [InlineData("MiniCC__Hours__Weekly__Monday__1", "22:00-02:00", "MiniCC:Hours:Weekly:Monday:1 is '22:00-02:00'; a range is HH:mm-HH:mm")]
    [InlineData("MiniCC__Hours__Weekly__Monday__1", "17:00-19:00", "MiniCC:Hours:Weekly:Monday: 09:00-18:00 and 17:00-19:00 overlap.")]
    [InlineData("MiniCC__Hours__Weekly__Mondays__0", "09:00-18:00", "MiniCC:Hours:Weekly:Mondays is not a day of the week; the days are Monday, Tuesday")]
    [InlineData("MiniCC__Hours__TimeZone", "Tokyo", "MiniCC:Hours:TimeZone 'Tokyo' is not a time zone")]
    [InlineData("MiniCC__Hours__Holidays", "US", "MiniCC:Hours:Holidays is 'US'; it must be JP")]
    [InlineData("MiniCC__Hours__ClosedDays__0", "2026-12-31..2026-12-01", "MiniCC:Hours:ClosedDays:0 is '2026-12-31..2026-12-01'; it must be a date")]
    [InlineData("MiniCC__Hours__SpecialHours__2026-13-01__0", "10:00-12:00", "MiniCC:Hours:SpecialHours:2026-13-01 is not a date")]
    [InlineData("MiniCC__Hours__ClosedAudioUrl", "closed.mp3", "MiniCC:Hours:ClosedAudioUrl must be empty or an absolute http(s) URL.")]
    [InlineData("MiniCC__Prompts__NextOpening", "Open tomorrow", "MiniCC:Prompts:NextOpening must contain {0}")]
    [InlineData("MiniCC__Hours__Weekley__Monday__0", "09:00-18:00", "MiniCC:Hours:Weekley:Monday:0 is not a setting; did you mean MiniCC:Hours:Weekly?")]
    public async Task AnHoursSettingThatDoesNotReadStopsMiniCCNamingTheKey(string variable, string value, string message)
    {
        _cli.Environment["MiniCC__Hours__Weekly__Monday__0"] = "09:00-18:00";
        _cli.Environment[variable] = value;
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClosedDaysWithoutWeeklyHoursAreRefusedRatherThanIgnored()
    {
        _cli.Environment["MiniCC__Hours__ClosedDays__0"] = "12-29..01-03";
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MiniCC:Hours:ClosedDays is set but MiniCC:Hours:Weekly is not", result.Err, StringComparison.Ordinal);
        AssertRefusedOnce(await _cli.ServeAsync(), "MiniCC:Hours:ClosedDays is set but MiniCC:Hours:Weekly is not");
    }

    [Fact]
    public async Task WellFormedHoursStartAndASpecialDayGivenAnEmptyListIsClosed()
    {
        // JSON's "2026-11-25": [] reaches the configuration as an empty value, as here.
        using var app = new MiniCCFactory("sqlite", new()
        {
            ["MiniCC:Hours:Weekly:wednesday:0"] = "9:00 - 12:00",
            ["MiniCC:Hours:Weekly:wednesday:1"] = "13:00-24:00",
            ["MiniCC:Hours:Holidays"] = "none",
            ["MiniCC:Hours:ClosedDays:0"] = "2026-12-29..2027-01-03",
            ["MiniCC:Hours:SpecialHours:2026-11-25"] = "",
        }, new FakeTimeProvider(new DateTimeOffset(2026, 11, 25, 10, 0, 0, TimeSpan.FromHours(9))));
        var root = await app.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        Assert.Equal("次の受付は、12月2日水曜日の午前9時からです。", root.Elements("Say").ElementAt(1).Value);
    }

    [Fact]
    public void TheReadmesExampleReadsAsItSays()
    {
        var readme = File.ReadAllText(Path.Combine(MiniCC.Tests.Settings.SettingsListTests.RepositoryRoot(), "README.md"));
        var section = readme[readme.IndexOf("### Opening hours and holidays", StringComparison.Ordinal)..];
        var start = section.IndexOf("```json\n", StringComparison.Ordinal) + "```json\n".Length;
        var json = section[start..section.IndexOf("```", start, StringComparison.Ordinal)];
        var configuration = new ConfigurationBuilder()
            .AddJsonStream(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(json))).Build();
        var options = MiniCC.Settings.MiniCCSettings.Read<HoursOptions>(configuration);
        Assert.True(new HoursOptionsValidator().Validate(null, options).Succeeded);

        var hours = new OpeningHours(Microsoft.Extensions.Options.Options.Create(options),
            Microsoft.Extensions.Options.Options.Create(new MiniCC.Reports.ReportOptions()));
        Assert.Equal([new OpenRange(9 * 60, 12 * 60), new OpenRange(13 * 60, 18 * 60)], hours.Day(new DateOnly(2026, 11, 25)).Ranges);
        Assert.Equal((DayKind.Special, 0), (hours.Day(new DateOnly(2026, 10, 1)).Kind, hours.Day(new DateOnly(2026, 10, 1)).Ranges.Count));
        Assert.Equal(DayKind.Special, hours.Day(new DateOnly(2026, 12, 26)).Kind);
        Assert.Equal(DayKind.ClosedDay, hours.Day(new DateOnly(2027, 12, 30)).Kind);
        Assert.Equal(DayKind.ClosedDay, hours.Day(new DateOnly(2026, 8, 14)).Kind);
        var evening = new DateTimeOffset(2026, 11, 25, 20, 0, 0, TimeSpan.FromHours(9));
        Assert.Equal("明日、11月26日木曜日の午前9時から", SpokenOpening.Say(hours.NextOpening(evening)!.Value, evening, hours.Zone, "ja-JP"));
    }

    private static void AssertRefusedOnce(Minicc.Result result, string message)
    {
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }
}
