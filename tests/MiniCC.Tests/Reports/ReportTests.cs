using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Reports;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Reports;

public sealed class SqliteReportTests() : ReportTests("sqlite");

public sealed class MySqlReportTests() : ReportTests("mysql");

public sealed class PostgresReportTests() : ReportTests("postgres");

/// <summary>The report's numbers for a scripted hour whose every call is known, on every database.</summary>
public abstract class ReportTests(string provider) : ProviderTests(provider)
{
    private static readonly TimeZoneInfo Tokyo = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");

    private static string QueueOf(string sid) => "QU" + sid[2..];

    /// <summary>A caller enters the queue now; returns their CallSid.</summary>
    private async Task<string> EnterAsync(string from = Customer)
    {
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/wait", Call(sid, from: from, extra: [("QueuePosition", "1"), ("QueueSid", QueueOf(sid)), ("QueueTime", "0")]));
        return sid;
    }

    private Task AnswerAsync(string sid, int waited, string op) =>
        App.TwimlAsync("/voice/whisper", Call(sid, extra: [("QueueSid", QueueOf(sid)), ("QueueTime", waited.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("DequeingCallSid", op)]));

    private Task ExitAsync(string sid, string result, int waited) =>
        App.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", result), ("QueueSid", QueueOf(sid)), ("QueueTime", waited.ToString(System.Globalization.CultureInfo.InvariantCulture))]));

    /// <summary>
    /// 10:00 JST: six callers enter. A answered after 10 s, talks 120 s; B answered after 30 s, talks 60 s;
    /// C abandons after 3 s (short); D abandons after 50 s; E finds the queue full; F is still waiting.
    /// </summary>
    private async Task<string> TheScriptedHourAsync()
    {
        var op = await App.OperatorCallsInAsync();
        var (a, b, c, d, e, f) = (await EnterAsync(), await EnterAsync(), await EnterAsync("+819000000003"), await EnterAsync("+819000000004"), NewCallSid(), await EnterAsync());
        App.Clock.Advance(TimeSpan.FromSeconds(3));
        await ExitAsync(c, "hangup", 3);
        await ExitAsync(e, "queue-full", 0);
        App.Clock.Advance(TimeSpan.FromSeconds(7));
        await AnswerAsync(a, 10, op);
        App.Clock.Advance(TimeSpan.FromSeconds(20));
        await AnswerAsync(b, 30, op);
        App.Clock.Advance(TimeSpan.FromSeconds(20));
        await ExitAsync(d, "hangup", 50);
        App.Clock.Advance(TimeSpan.FromSeconds(40)); // 10:01:30
        await ExitAsync(b, "bridged", 30);          // B talked 60 s
        App.Clock.Advance(TimeSpan.FromSeconds(40)); // 10:02:10
        await ExitAsync(a, "bridged", 10);          // A talked 120 s
        _ = f;
        return op;
    }

    [SkippableFact]
    public async Task TheTotalsFollowTheirDefinitions()
    {
        await TheScriptedHourAsync();
        var query = App.Services.GetRequiredService<ReportQuery>();
        var day = query.LocalMidnight(new DateOnly(2026, 11, 24));

        var r = await query.RunAsync(day, day.AddDays(1), 30, default);

        var t = r.Totals;
        Assert.Equal((6L, 2L, 2L, 1L, 1L, 1L), (t.Offered, t.Answered, t.Abandoned, t.ShortAbandoned, t.OtherExits, t.StillWaiting));
        Assert.Equal(33.33, t.AbandonRatePercent);
        Assert.Equal(20.0, t.AverageSpeedOfAnswerSeconds);
        Assert.Equal(33.33, t.ServiceLevelPercent); // 1 answered within 20 s / (2 answered + 2 abandoned - 1 short)
        Assert.Equal(90.0, t.AverageHandleTimeSeconds);
        Assert.Equal(50L, t.LongestWaitSeconds);
        Assert.Equal(ServiceLevelFormula.Default, r.ServiceLevelFormula);

        var interval = Assert.Single(r.Intervals);
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 10, 0, 0, TimeSpan.FromHours(9)), interval.Start);
        Assert.Equal(TimeSpan.FromHours(9), interval.Start.Offset);
        Assert.Equal(6L, interval.Metrics.Offered);
        Assert.True(interval.ErlangCAgentsNeeded >= 1);

        var op = Assert.Single(r.Operators);
        Assert.Equal((OperatorPhone, "Sato", 2L, 180L, 90.0), (op.Phone, op.Name, op.CallsTaken, op.TalkSeconds, op.AverageHandleSeconds));
        Assert.Equal(130, op.SignedInSeconds); // signed in at 10:00:00, still on at 10:02:10

        Assert.Equal(18.6, t.AverageWaitSeconds); // (10 + 30 + 3 + 50 + 0) / 5 callers who left the queue (E: queue full)
        var dayRow = Assert.Single(r.Days);
        Assert.Equal((new DateOnly(2026, 11, 24), 6L), (dayRow.Day, dayRow.Metrics.Offered));
        var cell = Assert.Single(r.WeekdayHours);
        Assert.Equal((DayOfWeek.Tuesday, 10, 6L), (cell.Weekday, cell.Hour, cell.Metrics.Offered));

        Assert.Equal(["+819000000003", "+819000000004"], r.AbandonedCallers.Select(a => a.FromNumber));
        Assert.Equal([3L, 50L], r.AbandonedCallers.Select(a => a.WaitSeconds ?? -1));
    }

    [SkippableFact]
    public async Task DaysEndAtLocalMidnightAndCallsThatSpanItCountWhereTheyEntered()
    {
        // 23:59:50 JST on the 24th (14:59:50 UTC): enters, waits 30 s across midnight, then abandons.
        App.Clock.SetUtcNow(new DateTimeOffset(2026, 11, 24, 14, 59, 50, TimeSpan.Zero));
        var late = await EnterAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(20)); // 00:00:10 JST on the 25th
        var early = await EnterAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(10));
        await ExitAsync(late, "hangup", 30);
        await ExitAsync(early, "hangup", 10);

        var query = App.Services.GetRequiredService<ReportQuery>();
        var the24th = await query.RunAsync(query.LocalMidnight(new DateOnly(2026, 11, 24)), query.LocalMidnight(new DateOnly(2026, 11, 25)), 15, default);
        var the25th = await query.RunAsync(query.LocalMidnight(new DateOnly(2026, 11, 25)), query.LocalMidnight(new DateOnly(2026, 11, 26)), 15, default);

        Assert.Equal((1L, 1L, 30L), (the24th.Totals.Offered, the24th.Totals.Abandoned, the24th.Totals.LongestWaitSeconds));
        Assert.Equal(new DateTimeOffset(2026, 11, 24, 23, 45, 0, TimeSpan.FromHours(9)), Assert.Single(the24th.Intervals).Start);
        Assert.Equal((1L, 1L, 10L), (the25th.Totals.Offered, the25th.Totals.Abandoned, the25th.Totals.LongestWaitSeconds));
        Assert.Equal(new DateTimeOffset(2026, 11, 25, 0, 0, 0, TimeSpan.FromHours(9)), Assert.Single(the25th.Intervals).Start);
    }

    [SkippableFact]
    public async Task AReportListsTheNewestAbandonedCallersAndAllOfThemCanBeRead()
    {
        var callers = new List<string>();
        for (var i = 0; i < ReportQuery.AbandonedListed + 2; i++)
        {
            var sid = await EnterAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+8190{i:D8}"));
            App.Clock.Advance(TimeSpan.FromSeconds(2));
            await ExitAsync(sid, "hangup", 2);
            callers.Add(sid);
        }

        var query = App.Services.GetRequiredService<ReportQuery>();
        var day = query.LocalMidnight(new DateOnly(2026, 11, 24));
        var r = await query.RunAsync(day, day.AddDays(1), 30, default);

        Assert.Equal(ReportQuery.AbandonedListed + 2, r.Totals.Abandoned);
        Assert.Equal(callers.Skip(2), r.AbandonedCallers.Select(a => a.CallSid));
        Assert.Equal(callers, (await query.AbandonedCallersAsync(day, day.AddDays(1), null, default)).Select(a => a.CallSid));
    }

    [SkippableFact]
    public async Task AReportCanBeLimitedToOneQueue()
    {
        await TheScriptedHourAsync();
        await App.Database.WriteAsync((c, tx) => Dapper.SqlMapper.ExecuteAsync(c,
            "UPDATE queue_visits SET queue_name = 'sales' WHERE from_number = '+819000000004'", transaction: tx), default);
        // Written behind MiniCC's back, as an import would: the rollups are rebuilt (and then read).
        await Rollups.RebuildAsync(App.Database, RollupThresholds.Of(new ReportOptions()), null, default);
        var query = App.Services.GetRequiredService<ReportQuery>();
        var day = query.LocalMidnight(new DateOnly(2026, 11, 24));
        var sales = await query.RunAsync(day, day.AddDays(1), 30, "sales", default);
        var support = await query.RunAsync(day, day.AddDays(1), 30, "MiniCC", default);
        var all = await query.RunAsync(day, day.AddDays(1), 30, default);
        Assert.Equal((1L, 1L), (sales.Totals.Offered, sales.Totals.Abandoned));
        Assert.Equal((5L, 1L), (support.Totals.Offered, support.Totals.Abandoned));
        Assert.Equal(6L, all.Totals.Offered);
        Assert.Equal(["+819000000004"], sales.AbandonedCallers.Select(a => a.FromNumber));
    }

    [SkippableFact]
    public async Task MenuChoicesAreCounted()
    {
        foreach (var digits in new[] { "1", "2", "2", "7" })
        {
            await App.TwimlAsync("/voice/menu", Call(NewCallSid(), extra: ("Digits", digits)));
        }

        await App.TwimlAsync("/voice/no-input", Call(NewCallSid()));
        var query = App.Services.GetRequiredService<ReportQuery>();
        var day = query.LocalMidnight(new DateOnly(2026, 11, 24));
        var ivr = (await query.RunAsync(day, day.AddDays(1), 30, default)).Ivr;
        Assert.Equal((1L, 2L, 1L, 1L, 5L), (ivr.Operator, ivr.Information, ivr.Invalid, ivr.NoInput, ivr.Calls));
    }

    [SkippableFact]
    public async Task ADayWithNoCallsReportsZerosNotErrors()
    {
        var query = App.Services.GetRequiredService<ReportQuery>();
        var r = await query.RunAsync(query.LocalMidnight(new DateOnly(2026, 1, 1)), query.LocalMidnight(new DateOnly(2026, 1, 2)), 60, default);
        Assert.Equal(0, r.Totals.Offered);
        Assert.Equal(100, r.Totals.ServiceLevelPercent);
        Assert.Empty(r.Intervals);
        Assert.Empty(r.Operators);
    }

    [SkippableFact]
    public async Task AnAnsweredCallWhoseTalkGoesOnIsAnsweredWithoutAHandleTimeYet()
    {
        var op = await App.OperatorCallsInAsync();
        var sid = await EnterAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(5));
        await AnswerAsync(sid, 5, op);
        var query = App.Services.GetRequiredService<ReportQuery>();
        var day = query.LocalMidnight(new DateOnly(2026, 11, 24));
        var r = await query.RunAsync(day, day.AddDays(1), 30, default);
        Assert.Equal((1L, 1L, 0.0, 5.0), (r.Totals.Offered, r.Totals.Answered, r.Totals.AverageHandleTimeSeconds, r.Totals.AverageSpeedOfAnswerSeconds));
    }
}

public sealed class ReportCommandTests
{
    [Fact]
    public async Task TheReportVerbPrintsTheFixedJsonKeysAndCsv()
    {
        using var cli = new Minicc();
        cli.Environment["MiniCC__Reports__TimeZone"] = "UTC";
        Assert.Equal(0, (await cli.RunAsync("migrate")).ExitCode);
        var json = await cli.RunAsync("report", "--from", "2026-11-24", "--to", "2026-11-24", "--interval", "30m", "--format", "json");
        Assert.True(json.ExitCode == 0, json.Err);
        var root = JsonDocument.Parse(json.Out).RootElement;
        foreach (var key in new[] { "offered", "answered", "abandoned", "shortAbandoned", "abandonRatePercent", "averageSpeedOfAnswerSeconds",
                     "serviceLevelPercent", "averageHandleTimeSeconds", "longestWaitSeconds", "intervals", "operators" })
        {
            Assert.True(root.TryGetProperty(key, out _), key);
        }

        Assert.Equal("UTC", root.GetProperty("timeZone").GetString());
        var csv = await cli.RunAsync("report", "--from", "2026-11-24", "--format", "csv");
        Assert.StartsWith("interval_start,offered,answered,abandoned", csv.Out, StringComparison.Ordinal);
        var table = await cli.RunAsync("report", "--from", "2026-11-24");
        Assert.Contains("Offered 0", table.Out, StringComparison.Ordinal);
        var bad = await cli.RunAsync("report", "--from", "yesterday");
        Assert.Equal(2, bad.ExitCode);
        cli.Environment["MiniCC__Reports__TimeZone"] = "Mars/Olympus";
        var zone = await cli.RunAsync("report");
        Assert.Equal(1, zone.ExitCode);
        Assert.Contains("MiniCC:Reports:TimeZone", zone.Err, StringComparison.Ordinal);
    }
}
