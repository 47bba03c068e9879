using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MiniCC.Emulator;
using MiniCC.Tests.Pages;

namespace MiniCC.Tests.EndToEnd;

public sealed class SqliteNotWaitingReportTests() : NotWaitingReportTests("sqlite");

public sealed class MySqlNotWaitingReportTests() : NotWaitingReportTests("mysql");

public sealed class PostgresNotWaitingReportTests() : NotWaitingReportTests("postgres");

/// <summary>
/// A simulated Friday evening through the emulator: the center closes at 18:00 (callers after it hear so and may leave a
/// message), and before it some callers ask for a callback, some leave a voicemail by key and some reach the longest wait.
/// The report (its JSON, its page and its CSV, over HTTP) equals the emulator's ground truth on each database.
/// </summary>
public abstract partial class NotWaitingReportTests(string provider)
{
    private static readonly Scenario Evening = new()
    {
        Start = new DateTimeOffset(2026, 11, 27, 17, 0, 0, TimeSpan.FromHours(9)), // a Friday
        Duration = TimeSpan.FromHours(2),
        ArrivalsPerHour = 100,
        Operators = 3,
        MeanTalk = TimeSpan.FromMinutes(2),
        MeanPatience = TimeSpan.FromSeconds(150),
        CallbackShare = 0.15,
        VoicemailShare = 0.08,
        CalleeAnswerShare = 0.6,
        CalleeBusyShare = 0.2,
    };

    private static Dictionary<string, string?> Settings() => new()
    {
        ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo",
        ["MiniCC:Hours:Weekly:Monday:0"] = "09:00-18:00",
        ["MiniCC:Hours:Weekly:Tuesday:0"] = "09:00-18:00",
        ["MiniCC:Hours:Weekly:Wednesday:0"] = "09:00-18:00",
        ["MiniCC:Hours:Weekly:Thursday:0"] = "09:00-18:00",
        ["MiniCC:Hours:Weekly:Friday:0"] = "09:00-18:00",
        ["MiniCC:Callbacks:CallerId"] = CallbackTests.CenterNumber,
        ["MiniCC:Callbacks:RetryMinutes"] = "3",
        ["MiniCC:Voicemail:Enabled"] = "true",
        ["MiniCC:Voicemail:MaxWaitSeconds"] = "180",
    };

    [SkippableFact]
    public async Task TheCallersWhoDidNotWaitAreReportedAsTheyHappenedOnThePageInTheCsvAndInTheJson()
    {
        using var center = CallCenter.Open(provider, Settings(), seed: 7);
        for (var i = 1; i <= Evening.Operators; i++)
        {
            await center.AddOperatorAsync(Scenario.OperatorPhone(i), $"Op {i}");
        }

        var truth = await Simulation.RunAsync(center.Twilio, Evening);
        Assert.Empty(center.Twilio.ApplicationErrors);
        // The evening holds every case, or the comparison below proves little.
        Assert.True(truth.MenuSkipped > 20, $"closed {truth.MenuSkipped}");
        Assert.True(truth.VoicemailsWithoutMenu > 10, $"closed voicemails {truth.VoicemailsWithoutMenu}");
        Assert.True(truth.LeftForCallback > 5, $"callbacks {truth.LeftForCallback}");
        Assert.True(truth.LeftForVoicemail > 2, $"voicemails by key {truth.LeftForVoicemail}");
        Assert.True(truth.LeftUnasked > 0, $"longest wait {truth.LeftUnasked}");
        Assert.True(truth.CallbacksCompleted > 3 && truth.CallbacksFailed > 0, $"callbacks {truth.CallbacksCompleted} completed, {truth.CallbacksFailed} dials missed");

        using var browser = await PageClient.SignedInAsync(center.App);
        const string range = "from=2026-11-27&to=2026-11-27";
        var json = JsonDocument.Parse(await browser.GetStringAsync(new Uri("/api/report?" + range, UriKind.Relative))).RootElement;
        var n = json.GetProperty("notWaiting");
        var callbacks = n.GetProperty("callbacks");
        long At(JsonElement e, string name) => e.GetProperty(name).GetInt64();

        Assert.Equal(truth.MenuSkipped, At(n, "closedCalls"));
        Assert.Equal((truth.LeftForCallback, truth.LeftForVoicemail, truth.LeftUnasked),
            ((int)At(n, "leftForCallback"), (int)At(n, "leftForVoicemail"), (int)At(n, "leftAtMaxWait")));
        // A caller an operator picked up after they confirmed a callback (before they left the queue) was answered: their
        // request is cancelled, not dialed.
        Assert.Equal((truth.CallbacksRequested + truth.CallbacksAnsweredInstead, truth.CallbacksCompleted, truth.CallbacksFailed, truth.CallbacksAnsweredInstead),
            ((int)At(callbacks, "requested"), (int)At(callbacks, "completed"), (int)At(callbacks, "unansweredAttempts"), (int)At(callbacks, "cancelled")));
        Assert.Equal(truth.AverageTimeToCallbackSeconds, callbacks.GetProperty("averageTimeToCallbackSeconds").GetDouble());
        Assert.Equal(At(callbacks, "requested"),
            At(callbacks, "completed") + At(callbacks, "open") + At(callbacks, "failed") + At(callbacks, "cancelled"));
        var voicemails = n.GetProperty("voicemails").EnumerateArray()
            .ToDictionary(v => v.GetProperty("reason").GetString()!, v => (Offered: At(v, "offered"), Messages: At(v, "messages")));
        Assert.Equal(truth.Voicemails, voicemails.Values.Sum(v => v.Messages));
        Assert.Equal(truth.VoicemailsWithoutMenu, voicemails["closed"].Messages);
        // Every closed caller heard the voicemail prompt.
        Assert.Equal(truth.MenuSkipped, voicemails["closed"].Offered);

        // Leaving the queue on purpose is another exit, never an abandon, and the totals still equal the truth.
        var totals = json;
        Assert.Equal((truth.Offered, truth.Answered, truth.Abandoned, truth.OtherExits),
            ((int)At(totals, "offered"), (int)At(totals, "answered"), (int)At(totals, "abandoned"), (int)At(totals, "otherExits")));
        Assert.Equal(truth.LeftForCallback + truth.LeftForVoicemail + truth.LeftUnasked, truth.OtherExits);

        // The History page shows the same numbers, and its CSV holds them.
        var page = await browser.PageAsync("/history?" + range);
        var shown = Cell().Matches(page).ToDictionary(m => m.Groups[1].Value + ":" + m.Groups[2].Value, m => m.Groups[3].Value);
        Assert.Equal(Count(truth.MenuSkipped), shown["not-waiting:closedCalls"]);
        Assert.Equal(Count(truth.LeftForCallback), shown["not-waiting:leftForCallback"]);
        Assert.Equal(Count(truth.CallbacksCompleted), shown["callbacks:completed"]);
        Assert.Equal(Count(truth.VoicemailsWithoutMenu), shown["voicemail-messages:closed"]);

        var csv = (await browser.GetStringAsync(new Uri("/csv/not-waiting.csv?" + range, UriKind.Relative))).TrimStart('\uFEFF')
            .Split("\r\n", StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(l => l.Split(',')).ToDictionary(f => f[0], f => f[1]);
        Assert.Equal(truth.MenuSkipped.ToString(CultureInfo.InvariantCulture), csv["closed_calls"]);
        Assert.Equal((truth.CallbacksRequested + truth.CallbacksAnsweredInstead).ToString(CultureInfo.InvariantCulture), csv["callbacks_requested"]);
        Assert.Equal(truth.AverageTimeToCallbackSeconds.ToString(CultureInfo.InvariantCulture), csv["average_time_to_callback_seconds"]);
        Assert.Equal(truth.VoicemailsWithoutMenu.ToString(CultureInfo.InvariantCulture), csv["voicemail_messages_closed"]);
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    [GeneratedRegex("""data-(not-waiting|callbacks|voicemail-messages|voicemails-offered)="([a-zA-Z-]+)">([^<]*)<""")]
    private static partial Regex Cell();
}
