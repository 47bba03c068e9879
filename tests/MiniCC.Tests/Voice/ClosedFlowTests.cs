using Microsoft.Extensions.Time.Testing;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

public sealed class SqliteClosedFlowTests() : ClosedFlowTests("sqlite");

public sealed class MySqlClosedFlowTests() : ClosedFlowTests("mysql");

public sealed class PostgresClosedFlowTests() : ClosedFlowTests("postgres");

/// <summary>
/// A call that comes in while the center is closed (weekdays 09:00-18:00 in Tokyo, Japan's holidays closed), over
/// HTTP with signed webhooks, once per database provider: what the caller hears, and what the history keeps.
/// </summary>
public abstract class ClosedFlowTests(string provider) : IDisposable
{
    private MiniCCFactory? _app;

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>The app with weekday hours, its clock at <paramref name="tokyo"/> (local time in Tokyo).</summary>
    private MiniCCFactory App(string tokyo, Dictionary<string, string?>? more = null)
    {
        var settings = new Dictionary<string, string?> { ["MiniCC:Hours:TimeZone"] = "Asia/Tokyo" };
        foreach (var day in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" })
        {
            settings[$"MiniCC:Hours:Weekly:{day}:0"] = "09:00-18:00";
        }

        foreach (var (k, v) in more ?? [])
        {
            settings[k] = v;
        }

        var at = DateTimeOffset.Parse(tokyo + "+09:00", System.Globalization.CultureInfo.InvariantCulture);
        return _app = new MiniCCFactory(provider, settings, new FakeTimeProvider(at));
    }

    [SkippableTheory]
    [InlineData("2026-11-25T20:00:00", "明日、11月26日木曜日の午前9時から")] // a weekday evening
    [InlineData("2026-11-25T07:30:00", "本日の午前9時から")] // a weekday morning
    [InlineData("2026-11-23T10:00:00", "明日、11月24日火曜日の午前9時から")] // 勤労感謝の日, a Monday
    [InlineData("2026-05-06T10:00:00", "明日、5月7日木曜日の午前9時から")] // 振替休日 after Golden Week
    [InlineData("2026-11-27T18:00:00", "11月30日月曜日の午前9時から")] // Friday after closing: Monday
    public async Task ACustomerCallingWhileClosedHearsSoAndTheNextOpening(string tokyo, string opening)
    {
        var app = App(tokyo);
        var sid = NewCallSid();

        var root = await app.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));

        Assert.Equal(["Say", "Say", "Say", "Hangup"], Verbs(root));
        var says = root.Elements("Say").ToList();
        Assert.All(says, s => Assert.Equal(("ja-JP", "Polly.Mizuki"), (s.Attribute("language")!.Value, s.Attribute("voice")!.Value)));
        Assert.Contains("ただいまの時間は受付を行っておりません", says[0].Value, StringComparison.Ordinal);
        Assert.Equal($"次の受付は、{opening}です。", says[1].Value);
        Assert.Equal("お電話ありがとうございました。", says[2].Value);

        var call = Assert.Single(await app.History.CallsAsync(default));
        Assert.Equal(("customer", "closed"), (call.Role, call.IvrChoice));
        Assert.Empty(await app.History.QueueVisitsAsync(default));
    }

    [SkippableFact]
    public async Task AnEnglishCallerHearsTheClosedMessageAndTheOpeningInEnglish()
    {
        var app = App("2026-11-25T20:00:00", new() { ["MiniCC:Language"] = "en-US" });
        var root = await app.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        var says = root.Elements("Say").Select(s => s.Value).ToList();
        Assert.Equal("Thank you for calling Mini Call Center. We are sorry, but we are closed now.", says[0]);
        Assert.Equal("We will be open again tomorrow, Thursday, November 26, at 9 AM.", says[1]);
        Assert.Equal("Thank you for calling. Goodbye.", says[2]);
    }

    [SkippableFact]
    public async Task TheClosedMessageCanBeAnAudioFileAndTheTextsCanBeConfigured()
    {
        var app = App("2026-11-25T20:00:00", new()
        {
            ["MiniCC:Hours:ClosedAudioUrl"] = "https://audio.example.com/closed.mp3",
            ["MiniCC:Prompts:NextOpening"] = "Back {0}!",
        });
        var root = await app.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        Assert.Equal(["Play", "Say", "Say", "Hangup"], Verbs(root));
        Assert.Equal("https://audio.example.com/closed.mp3", root.Element("Play")!.Value);
        Assert.Equal("Back 明日、11月26日木曜日の午前9時から!", root.Element("Say")!.Value);
    }

    [SkippableFact]
    public async Task DuringOpeningHoursACustomerGetsTheMenu()
    {
        var app = App("2026-11-24T17:59:00");
        var sid = NewCallSid();
        var root = await app.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));
        Assert.Equal(["Gather", "Redirect"], Verbs(root));
        Assert.Equal("/voice/menu", root.Element("Gather")!.Attribute("action")!.Value);
        Assert.Null(Assert.Single(await app.History.CallsAsync(default)).IvrChoice);
    }

    [SkippableFact]
    public async Task AnOperatorCallingWhileClosedStillSignsIn()
    {
        var app = App("2026-11-23T10:00:00");
        Assert.True(await app.Operators.AddAsync(OperatorPhone, "Sato", default));
        var root = await app.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone, status: "ringing"));
        Assert.Equal(["Redirect"], Verbs(root));
        Assert.Equal("/voice/operator", root.Element("Redirect")!.Value);
        var call = Assert.Single(await app.History.CallsAsync(default));
        Assert.Equal("operator", call.Role);
        Assert.Null(call.IvrChoice);
    }

    [SkippableFact]
    public async Task WithoutWeeklyHoursACallOnAHolidayNightGetsTheMenuAsBefore()
    {
        var at = new DateTimeOffset(2026, 11, 23, 23, 0, 0, TimeSpan.FromHours(9));
        _app = new MiniCCFactory(provider, null, new FakeTimeProvider(at));
        var root = await _app.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        Assert.Equal(["Gather", "Redirect"], Verbs(root));
    }
}
