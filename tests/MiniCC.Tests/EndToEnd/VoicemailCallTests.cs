using System.Net;
using Dapper;
using MiniCC.Emulator;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.EndToEnd;

public sealed class SqliteVoicemailCallTests() : VoicemailCallTests("sqlite");

public sealed class MySqlVoicemailCallTests() : VoicemailCallTests("mysql");

public sealed class PostgresVoicemailCallTests() : VoicemailCallTests("postgres");

/// <summary>A caller on a holiday, through the emulator: the closed message, the next opening, a message left, listed and played.</summary>
public abstract class VoicemailCallTests(string provider)
{
    [SkippableFact]
    public async Task AHolidayCallerHearsTheNextOpeningLeavesAMessageAndItIsListedAndPlayedWithTheAccountsCredentials()
    {
        var settings = new Dictionary<string, string?> { ["MiniCC:Voicemail:Enabled"] = "true" };
        foreach (var day in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" })
        {
            settings[$"MiniCC:Hours:Weekly:{day}:0"] = "09:00-18:00";
        }

        // Monday 23 November 2026, 10:00 in Tokyo: 勤労感謝の日. The account enforces HTTP auth on its media.
        using var center = CallCenter.OpenWithMedia(provider, settings,
            o => o with { Start = new DateTimeOffset(2026, 11, 23, 1, 0, 0, TimeSpan.Zero), EnforceMediaAuth = true });
        var caller = await center.Twilio.DialAsync(Customer, new CallerScript { Message = TimeSpan.FromSeconds(8), MessageEnds = MessageEnd.Key });
        await center.Twilio.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.Contains("お電話ありがとうございます。ミニコールセンターでございます。申し訳ございませんが、ただいまの時間は受付を行っておりません。", caller.Heard);
        Assert.Contains("次の受付は、明日、11月24日火曜日の午前9時からです。", caller.Heard);
        Assert.Contains(EmulatedCall.Beep, caller.Heard);
        Assert.Equal(CallState.Completed, caller.State);
        Assert.Empty(center.Twilio.ApplicationErrors);

        var stored = await center.App.Database.ReadAsync(c => c.QuerySingleAsync<(string, string, long)>(
            "SELECT reason, status, duration_seconds FROM voicemails WHERE call_sid = @sid", new { sid = caller.CallSid }), default);
        Assert.Equal(("closed", "completed", 8L), stored);

        using var browser = await SignInForm.SignedInBrowserAsync(center.App);
        var page = await browser.GetStringAsync(new Uri("/voicemails", UriKind.Relative));
        Assert.Contains($"/voicemails/{caller.CallSid}/audio", page, StringComparison.Ordinal);
        using var audio = await browser.GetAsync(new Uri($"/voicemails/{caller.CallSid}/audio", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, audio.StatusCode);
        Assert.Equal("audio/mpeg", audio.Content.Headers.ContentType?.MediaType);
        Assert.NotEmpty(await audio.Content.ReadAsByteArrayAsync());
        Assert.Contains(center.Twilio.MediaRequests, r => r.WithCredentials && r.Status == 200);
    }
}
