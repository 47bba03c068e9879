using System.Globalization;
using System.Xml.Linq;
using MiniCC.Operators;
using MiniCC.Storage;
using MiniCC.Voice;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

/// <summary>
/// The estimated wait a waiting caller hears after their place in line, through the wait webhook: said when MiniCC can
/// stand behind it, rounded as a person says it, capped; nothing without staff or without enough recent calls.
/// </summary>
public sealed class WaitEstimateTests : IDisposable
{
    private readonly List<MiniCCFactory> _apps = [];

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }
    }

    private static readonly PromptSet En = PromptSet.Find("en-US")!;

    /// <summary>
    /// An app whose one operator took <paramref name="calls"/> calls of 120 s talk and 30 s wrap-up in the last hour and
    /// is now in <paramref name="now"/> (on a call, ready, on a break); the clock stands just after.
    /// </summary>
    private async Task<MiniCCFactory> CenterAsync(string now, int calls = 12, Dictionary<string, string?>? settings = null)
    {
        var app = new MiniCCFactory(new Dictionary<string, string?>(settings ?? new() { ["MiniCC:Language"] = "en-US" }));
        _apps.Add(app);
        var h = new WaitHistory(app);
        var op = await h.OperatorAsync(OperatorPhone, 0);
        var end = await h.AnsweredCallsAsync(op, 10, calls, talk: 120, wrapUp: 30);
        switch (now)
        {
            case OperatorStates.OnCall:
                await h.PickedUpAsync(op, end + 1, 1);
                break;
            case OperatorStates.Break:
                await h.StateAsync(op, end + 1, OperatorStates.Break, "lunch");
                break;
        }

        app.Clock.Advance(TimeSpan.FromSeconds(end + 5));
        return app;
    }

    /// <summary>The Says of the wait document a caller at <paramref name="position"/> gets.</summary>
    private static async Task<List<XElement>> SaysAsync(MiniCCFactory app, int position)
    {
        var root = await app.TwimlAsync("/voice/wait", Call(NewCallSid(), extra:
            [("QueuePosition", position.ToString(CultureInfo.InvariantCulture)), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        Assert.Equal("Play", Verbs(root)[^1]);
        return [.. root.Elements("Say")];
    }

    /// <summary>The minutes in "about N minutes", checking the sentence is the prompt's.</summary>
    private static int AboutMinutes(XElement say, PromptSet prompts)
    {
        var minutes = int.Parse(new string([.. say.Value.Where(char.IsAsciiDigit)]), CultureInfo.InvariantCulture);
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, prompts.WaitAboutMinutes, minutes), say.Value);
        return minutes;
    }

    [Fact]
    public async Task ACallerBehindABusyOperatorHearsAboutHowManyMinutesAfterTheirPlace()
    {
        var app = await CenterAsync(OperatorStates.OnCall);
        var says = await SaysAsync(app, 4);
        Assert.Equal(2, says.Count);
        Assert.Equal("Thank you for waiting. You are number 4 in line.", says[0].Value);
        Assert.Equal(("en-US", "Polly.Joanna"), (says[1].Attribute("language")!.Value, says[1].Attribute("voice")!.Value));
        // Four turns of the one operator: the rest of this talk and three more of 120 s on average, each with 30 s of
        // wrap-up: typically (the median) about 9 minutes.
        Assert.InRange(AboutMinutes(says[1], En), 8, 10);
        // Nearer the front, less.
        Assert.InRange(AboutMinutes((await SaysAsync(app, 2))[1], En), 3, 5);
    }

    [Fact]
    public async Task TheNextCallerWithAnOperatorReadyHearsLessThanAMinute()
    {
        var app = await CenterAsync(OperatorStates.Ready);
        Assert.Equal(En.WaitLessThanAMinute, (await SaysAsync(app, 1))[1].Value);
    }

    [Fact]
    public async Task NobodyStaffedMeansNoEstimateOnlyThePlace()
    {
        var app = await CenterAsync(OperatorStates.Break);
        Assert.Equal(["Thank you for waiting. You are number 2 in line."], (await SaysAsync(app, 2)).Select(s => s.Value));
    }

    [Fact]
    public async Task TooFewRecentCallsToKnowTheHandleTimeMeansNoEstimate()
    {
        var app = await CenterAsync(OperatorStates.OnCall, calls: 9);
        Assert.Single(await SaysAsync(app, 2));
    }

    [Fact]
    public async Task CallsOlderThanTheWindowDoNotCount()
    {
        var app = await CenterAsync(OperatorStates.OnCall, settings: new() { ["MiniCC:Language"] = "en-US", ["MiniCC:WaitEstimate:WindowMinutes"] = "5" });
        Assert.Single(await SaysAsync(app, 2));
    }

    [Fact]
    public async Task AWaitAboveTheCapIsMoreThanTheCapAndLongWaitsAreSaidInFives()
    {
        var app = await CenterAsync(OperatorStates.OnCall);
        // Twenty turns of about 150 s: some fifty minutes.
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, En.WaitMoreThanMinutes, 30), (await SaysAsync(app, 20))[1].Value);

        var uncapped = await CenterAsync(OperatorStates.OnCall, settings: new() { ["MiniCC:Language"] = "en-US", ["MiniCC:WaitEstimate:MaxAnnouncedMinutes"] = "90" });
        var minutes = AboutMinutes((await SaysAsync(uncapped, 20))[1], En);
        Assert.InRange(minutes, 40, 60);
        Assert.Equal(0, minutes % 5);
    }

    [Fact]
    public async Task TheEstimateIsSaidInJapaneseByDefaultAndItsTextIsASetting()
    {
        var ja = PromptSet.Find("ja-JP")!;
        var app = await CenterAsync(OperatorStates.OnCall, settings: new());
        var say = (await SaysAsync(app, 4))[1];
        Assert.Equal(("ja-JP", "Polly.Mizuki"), (say.Attribute("language")!.Value, say.Attribute("voice")!.Value));
        Assert.StartsWith("お待ちいただく時間は、およそ", say.Value, StringComparison.Ordinal);
        AboutMinutes(say, ja);

        var custom = await CenterAsync(OperatorStates.OnCall, settings: new() { ["MiniCC:Prompts:WaitAboutMinutes"] = "約{0}分お待ちください。" });
        Assert.Matches("^約[0-9]+分お待ちください。$", (await SaysAsync(custom, 4))[1].Value);
    }

    [Fact]
    public async Task APlaceBeyondTwiliosLargestQueueIsNoCallersAndGetsNoEstimate()
    {
        var app = await CenterAsync(OperatorStates.OnCall);
        Assert.Single(await SaysAsync(app, 999_999_999));
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, En.WaitMoreThanMinutes, 30), (await SaysAsync(app, 5000))[1].Value);
    }

    [Fact]
    public async Task TurnedOffNothingIsSaid()
    {
        var app = await CenterAsync(OperatorStates.OnCall, settings: new() { ["MiniCC:Language"] = "en-US", ["MiniCC:WaitEstimate:Enabled"] = "false" });
        Assert.Single(await SaysAsync(app, 4));
    }

    [Theory]
    [InlineData(0, WaitWording.LessThanAMinute, 0)]
    [InlineData(59.9, WaitWording.LessThanAMinute, 0)]
    [InlineData(60, WaitWording.AboutAMinute, 1)]
    [InlineData(89, WaitWording.AboutAMinute, 1)]
    [InlineData(90, WaitWording.AboutMinutes, 2)]
    [InlineData(629, WaitWording.AboutMinutes, 10)]   // 10.48 minutes
    [InlineData(745, WaitWording.AboutMinutes, 10)]   // 12.4: nearest five
    [InlineData(750, WaitWording.AboutMinutes, 15)]   // 12.5
    [InlineData(1949, WaitWording.AboutMinutes, 30)]  // 32.48: rounds to the cap, said as a number
    [InlineData(1950, WaitWording.MoreThanMinutes, 30)] // 32.5: rounds to 35, above the cap
    [InlineData(86400, WaitWording.MoreThanMinutes, 30)]
    public void AnEstimateIsRoundedAsAPersonSaysIt(double seconds, WaitWording wording, int minutes) =>
        Assert.Equal(new SpokenWait(wording, minutes), SpokenWait.Of(TimeSpan.FromSeconds(seconds), maxMinutes: 30));

    [Fact]
    public void TheNextCallerBehindOneOperatorOnACallWaitsTheMedianOfTheRestOfTheTalk()
    {
        // Talk is taken as exponential, so the rest of a call is as long as a whole one: its median is ln 2 of the mean.
        var situation = new WaitSituation
        {
            Staffed = [new StaffedOperator { State = OperatorStates.OnCall, Since = 0 }], Now = 60_000, RecentCalls = 20, TalkSeconds = 20 * 100,
        };
        var wait = WaitEstimator.Estimate(situation, 1, minimumRecentCalls: 10, TimeSpan.FromHours(1))!.Value.TotalSeconds;
        Assert.InRange(wait, 100 * Math.Log(2) * 0.9, 100 * Math.Log(2) * 1.1);
        // Callers ahead who hang up (one per 100 s of waiting) shorten the wait of the third.
        var third = WaitEstimator.Estimate(situation, 3, 10, TimeSpan.FromHours(1))!.Value;
        var thirdWithAbandons = WaitEstimator.Estimate(situation with { Abandons = 10, WaitSeconds = 1000 }, 3, 10, TimeSpan.FromHours(1))!.Value;
        Assert.True(thirdWithAbandons < third * 0.9, $"{thirdWithAbandons} against {third}");
    }

    [Theory]
    [InlineData("MiniCC__WaitEstimate__MaxAnnouncedMinutes", "13", "MiniCC:WaitEstimate:MaxAnnouncedMinutes is 13; it must be 2 to 10, or a multiple of 5 up to 120")]
    [InlineData("MiniCC__WaitEstimate__MaxAnnouncedMinutes", "1", "MiniCC:WaitEstimate:MaxAnnouncedMinutes is 1;")]
    [InlineData("MiniCC__WaitEstimate__WindowMinutes", "2", "MiniCC:WaitEstimate:WindowMinutes is 2; it must be 5 to 1440")]
    [InlineData("MiniCC__WaitEstimate__MinimumRecentCalls", "0", "MiniCC:WaitEstimate:MinimumRecentCalls is 0; it must be 1 to 10000")]
    [InlineData("MiniCC__WaitEstimate__CacheSeconds", "120", "MiniCC:WaitEstimate:CacheSeconds is 120; it must be 0 to 60")]
    [InlineData("MiniCC__Prompts__WaitAboutMinutes", "about some minutes", "MiniCC:Prompts:WaitAboutMinutes must contain {0} where the minutes are spoken")]
    [InlineData("MiniCC__Prompts__WaitMoreThanMinutes", "more than {0} of {1}", "MiniCC:Prompts:WaitMoreThanMinutes must contain {0}")]
    public async Task AWrongSettingStopsMiniCCNamingIt(string variable, string value, string message)
    {
        using var cli = new Minicc();
        cli.Environment[variable] = value;
        var result = await cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }
}
