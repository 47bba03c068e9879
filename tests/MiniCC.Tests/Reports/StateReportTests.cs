using Microsoft.Extensions.DependencyInjection;
using MiniCC.Reports;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Reports;

public sealed class SqliteStateReportTests() : StateReportTests("sqlite");

public sealed class MySqlStateReportTests() : StateReportTests("mysql");

public sealed class PostgresStateReportTests() : StateReportTests("postgres");

/// <summary>
/// Time in each state, occupancy and handle time with wrap-up, from an operator's day as Twilio's requests make it:
/// ready 60 s, a 120 s call, 30 s of wrap-up, ready 90 s, a 300 s break, then the operator hangs up.
/// </summary>
public abstract class StateReportTests(string provider) : ProviderTests(provider)
{
    private static (string, string)[] Queue(string sid, string time, params (string, string)[] more) =>
        Call(sid, extra: [("QueueSid", QueueSid), ("QueueTime", time), .. more]);

    [SkippableFact]
    public async Task AnOperatorsTimeInEachStateOccupancyAndHandleTimeWithWrapUp()
    {
        var op = await App.OperatorCallsInAsync();
        var customer = NewCallSid();
        await App.TwimlAsync("/voice/wait", Queue(customer, "0", ("QueuePosition", "1")));
        App.Clock.Advance(TimeSpan.FromSeconds(60));
        await App.TwimlAsync("/voice/whisper", Queue(customer, "60", ("DequeingCallSid", op)));
        App.Clock.Advance(TimeSpan.FromSeconds(120));
        await App.TwimlAsync("/voice/queue-exit", Queue(customer, "60", ("QueueResult", "bridged")));
        await App.TwimlAsync("/voice/operator", Call(op, from: OperatorPhone, extra: [("DialCallStatus", "completed")]));
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await App.TwimlAsync("/voice/operator?held=wrap-up", Call(op, from: OperatorPhone));
        App.Clock.Advance(TimeSpan.FromSeconds(90));
        await App.TwimlAsync("/voice/operator-break", Call(op, from: OperatorPhone, extra: [("Digits", "2")]));
        App.Clock.Advance(TimeSpan.FromSeconds(300));
        using (await App.PostAsync("/voice/status", Call(op, from: OperatorPhone, status: "completed", extra: [("CallDuration", "600")])))
        {
        }

        var query = App.Services.GetRequiredService<ReportQuery>();
        var report = await query.RunAsync(MiniCCFactory.Start.AddHours(-1), MiniCCFactory.Start.AddHours(2), 30, default);

        var row = Assert.Single(report.Operators);
        Assert.Equal(new StateTime(150, 120, 30, 300), row.States);
        Assert.Equal(44.44, row.States!.OccupancyPercent);
        Assert.Equal((120L, 150.0), (row.TalkSeconds, row.AverageHandleSeconds));
        Assert.Equal((150.0, 120.0), (report.Totals.AverageHandleTimeSeconds, report.Totals.AverageTalkSeconds));
        // Erlang C staffs for the handle time with wrap-up, not the talk alone.
        var interval = report.Intervals.Single(i => i.Metrics.Offered == 1);
        Assert.Equal(ErlangC.Required(1, TimeSpan.FromMinutes(30), 150, 20, 0.8).Agents, interval.ErlangCAgentsNeeded);
    }

    [SkippableFact]
    public async Task TheOperatorsPageShowsEachOperatorsStateNowAndTheirTimeInEachState()
    {
        var op = await App.OperatorCallsInAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(40));
        await App.TwimlAsync("/voice/operator-break", Call(op, from: OperatorPhone, extra: [("Digits", "2")]));
        App.Clock.Advance(TimeSpan.FromSeconds(75));

        using var browser = await SignInForm.SignedInBrowserAsync(App);
        var html = System.Text.RegularExpressions.Regex.Replace(
            System.Net.WebUtility.HtmlDecode(await browser.GetStringAsync(new Uri("/operators", UriKind.Relative))), ">\\s+<", "><");

        // The directory: on a break (lunch) for 1:15; the range's table (no call taken): ready 0:40, on a break 1:15, occupancy 0%.
        Assert.Matches("data-state=\"break\">.*<td>休憩中 \\(昼食\\)</td><td>1:15</td>", html);
        Assert.Contains("<td>0:40</td><td>0:00</td><td>0:00</td><td>1:15</td><td>0%</td>", html, StringComparison.Ordinal);
        Assert.Contains("稼働率 = 通話中 ÷（通話中 + 待機中）", html, StringComparison.Ordinal);
    }
}
