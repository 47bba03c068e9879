using Dapper;
using MiniCC.Emulator;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.EndToEnd;

/// <summary>
/// Callers who call while the center is closed, through the emulator: a weekday evening, a holiday, a substitute holiday
/// and a Friday evening. Each hears that it is closed and when it opens next, is never queued, and (voicemail off) is
/// thanked and hung up on; the call is stored as a closed-hours call.
/// </summary>
public sealed class ClosedHoursCallTests
{
    private static Dictionary<string, string?> Weekdays(bool voicemail)
    {
        var settings = new Dictionary<string, string?> { ["MiniCC:Voicemail:Enabled"] = voicemail ? "true" : "false" };
        foreach (var day in new[] { "Monday", "Tuesday", "Wednesday", "Thursday", "Friday" })
        {
            settings[$"MiniCC:Hours:Weekly:{day}:0"] = "09:00-12:00";
            settings[$"MiniCC:Hours:Weekly:{day}:1"] = "13:00-18:00";
        }

        return settings;
    }

    [Theory]
    // Wednesday 25 November 2026, 19:30 in Tokyo: after the day's last range.
    [InlineData("2026-11-25T19:30:00+09:00", "次の受付は、明日、11月26日木曜日の午前9時からです。")]
    // Wednesday 25 November 2026, 12:30: the lunch break between two ranges.
    [InlineData("2026-11-25T12:30:00+09:00", "次の受付は、本日の午後1時からです。")]
    // Wednesday 6 May 2026: 振替休日 (Constitution Day, 3 May, fell on a Sunday).
    [InlineData("2026-05-06T10:00:00+09:00", "次の受付は、明日、5月7日木曜日の午前9時からです。")]
    // Tuesday 22 September 2026: 国民の休日 (between 敬老の日 on the 21st and 秋分の日 on the 23rd).
    [InlineData("2026-09-22T10:00:00+09:00", "次の受付は、9月24日木曜日の午前9時からです。")]
    // Friday 27 November 2026, 18:00 sharp: a range ends at its end.
    [InlineData("2026-11-27T18:00:00+09:00", "次の受付は、11月30日月曜日の午前9時からです。")]
    public async Task AClosedCallerHearsWhenTheCenterOpensNextAndIsNeverQueued(string at, string nextOpening)
    {
        var start = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        using var center = CallCenter.OpenWithMedia("sqlite", Weekdays(voicemail: false), o => o with { Start = start });
        await center.AddOperatorAsync(OperatorPhone, "Sato");
        var op = await center.Twilio.DialAsync(OperatorPhone);
        var caller = await center.Twilio.DialAsync(Customer);
        await center.Twilio.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("お電話ありがとうございます。ミニコールセンターでございます。申し訳ございませんが、ただいまの時間は受付を行っておりません。", caller.Heard);
        Assert.Contains(nextOpening, caller.Heard);
        Assert.Equal(CallState.Completed, caller.State);
        Assert.False(caller.Truth.Queued);
        Assert.False(caller.Truth.HeardMenu);
        // An operator signed in does not open the center: the hours do.
        Assert.Equal(CallState.WaitingForCaller, op.State);
        Assert.Empty(center.Twilio.ApplicationErrors);

        var stored = await center.App.Database.ReadAsync(c => c.QuerySingleAsync<string?>(
            "SELECT ivr_choice FROM calls WHERE call_sid = @sid", new { sid = caller.CallSid }), default);
        Assert.Equal("closed", stored);
        Assert.Empty(await center.History.QueueVisitsAsync(default));
    }
}
