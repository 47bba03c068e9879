using System.Text.Json;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using MiniCC.Emulator;
using MiniCC.Reports;
using MiniCC.Storage;
using MiniCC.Tests.EndToEnd;
using MiniCC.Twilio.Webhooks;
using static MiniCC.Tests.Storage.TestEvents;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Reports;

public sealed class SqliteRollupTests() : RollupTests("sqlite");

public sealed class MySqlRollupTests() : RollupTests("mysql");

public sealed class PostgresRollupTests() : RollupTests("postgres");

/// <summary>
/// The rollups stay equal to the history whatever order events arrive in and whenever they are refreshed: a report read
/// from them equals the same report read from the history alone, on every database.
/// </summary>
public abstract class RollupTests(string provider) : ProviderTests(provider)
{
    private static readonly RollupThresholds Defaults = RollupThresholds.Of(new ReportOptions());

    /// <summary>Midnight in Tokyo on the test day (the app's clock starts at 10:00 there).</summary>
    private static readonly DateTimeOffset Day = new(2026, 11, 24, 0, 0, 0, TimeSpan.FromHours(9));

    private ReportQuery Reports => App.Services.GetRequiredService<ReportQuery>();

    private Task RefreshAsync(RollupThresholds? thresholds = null) =>
        Rollups.RefreshAllAsync(App.Database, thresholds ?? Defaults, null, default);

    /// <summary>The report read from the rollups, checked equal (as JSON, every number) to the report read from the history.</summary>
    private static async Task<Report> SameAsHistoryAsync(ReportQuery reports, DateTimeOffset from, DateTimeOffset to, int interval = 15, string? queue = null)
    {
        var rolledUp = await reports.RunAsync(from, to, interval, queue, ReportSource.Rollups, default);
        var history = await reports.RunAsync(from, to, interval, queue, ReportSource.History, default);
        Assert.Equal(JsonSerializer.Serialize(history), JsonSerializer.Serialize(rolledUp));
        Assert.Equal(JsonSerializer.Serialize(rolledUp with { AbandonedCallers = [] }), JsonSerializer.Serialize(await reports.SumsAsync(from, to, interval, queue, default)));
        return rolledUp;
    }

    /// <summary>Today, the next two days (so that a whole UTC day is read from day rows) and an hour with ragged edges.</summary>
    private async Task<Report> SameAsHistoryOverSeveralRangesAsync()
    {
        foreach (var interval in new[] { 15, 30, 60 })
        {
            await SameAsHistoryAsync(Reports, Day.AddDays(-1), Day.AddDays(2), interval);
        }

        await SameAsHistoryAsync(Reports, Day.AddHours(10).AddMinutes(1), Day.AddHours(10).AddMinutes(2).AddSeconds(7));
        await SameAsHistoryAsync(Reports, Day.AddHours(9).AddMinutes(52), Day.AddHours(11).AddMinutes(7), 30, "MiniCC");
        return await SameAsHistoryAsync(Reports, Day, Day.AddDays(1));
    }

    [SkippableFact]
    public async Task AVisitUpdatedAfterItsHourWasRolledUpChangesTheReport()
    {
        var op = await App.OperatorCallsInAsync();
        var caller = NewCallSid();
        await App.TwimlAsync("/voice/wait", Call(caller, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        await RefreshAsync();
        var waiting = await SameAsHistoryOverSeveralRangesAsync();
        Assert.Equal((1L, 0L, 1L), (waiting.Totals.Offered, waiting.Totals.Answered, waiting.Totals.StillWaiting));

        // Rolled up while the caller waited; the pickup and the exit rewrite the same visit.
        App.Clock.Advance(TimeSpan.FromSeconds(30));
        await App.TwimlAsync("/voice/whisper", Call(caller, extra: [("QueueSid", QueueSid), ("QueueTime", "30"), ("DequeingCallSid", op)]));
        var answered = await SameAsHistoryOverSeveralRangesAsync();
        Assert.Equal((1L, 0L, 30.0), (answered.Totals.Answered, answered.Totals.StillWaiting, answered.Totals.AverageSpeedOfAnswerSeconds));
        await RefreshAsync();
        App.Clock.Advance(TimeSpan.FromSeconds(120));
        await App.TwimlAsync("/voice/queue-exit", Call(caller, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "30")]));
        var done = await SameAsHistoryOverSeveralRangesAsync();
        Assert.Equal(120.0, done.Totals.AverageHandleTimeSeconds);
        Assert.Equal(("Sato", 1L, 120L), (Assert.Single(done.Operators).Name, done.Operators[0].CallsTaken, done.Operators[0].TalkSeconds));
        await RefreshAsync();
        Assert.Equal(JsonSerializer.Serialize(done), JsonSerializer.Serialize(await SameAsHistoryOverSeveralRangesAsync()));
    }

    [SkippableTheory]
    [InlineData("reverse")]
    [InlineData("shuffled")]
    public async Task EventsStoredInAnyOrderWithRefreshesBetweenGiveTheHistorysReport(string order)
    {
        await App.Operators.AddAsync(OperatorPhone, "Sato", default);
        var opId = (await App.Operators.FindAsync(OperatorPhone, default))!.Id;
        var (op, customer, other) = (NewCallSid(), NewCallSid(), NewCallSid());
        // The customer waits across an hour's end (10:59:50 to 11:00:20 in Tokyo); the sign-in may be stored after the pickup.
        HistoryEvent[] events =
        [
            Event("incoming", op, 0, from: OperatorPhone, operatorId: opId),
            Event("sign_in", op, 0, from: OperatorPhone, operatorId: opId),
            Event("incoming", customer, 3580),
            Event("ivr", customer, 3585, extra: [("Digits", "9")], choice: "invalid"),
            Event("ivr", customer, 3589, extra: [("Digits", "1")], choice: "operator"),
            Event("waiting", customer, 3590, extra: [("QueueSid", QueueSid), ("QueueTime", "0")]),
            Event("pickup", customer, 3620, extra: [("QueueSid", QueueSid), ("QueueTime", "30"), ("DequeingCallSid", op)]),
            Event("queue_exit", customer, 3740, extra: [("QueueSid", QueueSid), ("QueueTime", "30"), ("QueueResult", "bridged")]),
            Event("call_end", customer, 3740, extra: [("CallDuration", "160")]),
            Event("incoming", other, 7300),
            Event("waiting", other, 7310, extra: [("QueueSid", "QU" + other[2..]), ("QueueTime", "0")]),
            Event("queue_exit", other, 7314, extra: [("QueueSid", "QU" + other[2..]), ("QueueTime", "4"), ("QueueResult", "hangup")]),
            Event("call_end", op, 9000, from: OperatorPhone, extra: [("CallDuration", "9000")]),
        ];
        var history = App.Services.GetRequiredService<HistoryWriter>();
        var random = new Random(42);
        foreach (var e in order == "reverse" ? events.Reverse() : events.OrderBy(_ => random.Next()))
        {
            await history.WriteAsync(e);
            await RefreshAsync();
            await SameAsHistoryAsync(Reports, Day.AddDays(-1), Day.AddDays(2));
        }

        var r = await SameAsHistoryOverSeveralRangesAsync();
        Assert.Equal((2L, 1L, 1L, 1L, 30.0, 120.0), (r.Totals.Offered, r.Totals.Answered, r.Totals.Abandoned, r.Totals.ShortAbandoned,
            r.Totals.AverageSpeedOfAnswerSeconds, r.Totals.AverageHandleTimeSeconds));
        Assert.Equal((opId, 1L, 120L), (Assert.Single(r.Operators).OperatorId, r.Operators[0].CallsTaken, r.Operators[0].TalkSeconds));
        Assert.Equal((1L, 2L), (r.Ivr.Operator, r.Ivr.Calls));
    }

    [SkippableFact]
    public async Task TheServerRollsUpAnHourWhenItIsOverNotWhileItIsWritten()
    {
        await App.TwimlAsync("/voice/incoming", Call(NewCallSid(), status: "ringing"));
        var current = App.Clock.GetUtcNow().ToUnixTimeMilliseconds() / Rollups.HourMs;
        // An hour marked long ago (a replayed event), which the next refresh rolls up.
        await App.Database.WriteAsync((c, tx) => c.ExecuteAsync("INSERT INTO rollup_dirty (hour, gen) VALUES (@hour, 1)", new { hour = current - 5 }, tx), default);

        async Task<List<long>> MarkedAfterARefreshAsync(long gone)
        {
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
            while (true)
            {
                App.Clock.Advance(RollupRefresher.Interval);
                await Task.Delay(50);
                var marked = (await App.Database.ReadAsync(c => c.QueryAsync<long>("SELECT hour FROM rollup_dirty ORDER BY hour"), default)).ToList();
                if (!marked.Contains(gone) || DateTime.UtcNow > deadline)
                {
                    return marked;
                }
            }
        }

        // The refresh rolled up the old hour and left the one being written marked (reports read it from the history).
        Assert.Equal([current], await MarkedAfterARefreshAsync(current - 5));
        await SameAsHistoryOverSeveralRangesAsync();

        // Once that hour is over, the next refresh rolls it up.
        App.Clock.Advance(TimeSpan.FromHours(1));
        Assert.Empty(await MarkedAfterARefreshAsync(current));
        await SameAsHistoryOverSeveralRangesAsync();
    }

    [SkippableFact]
    public async Task TheSeamMarksTheHoursOfTheVisitsAndCallsOfTheCallSidsGiven()
    {
        // As a writer that stores rows its own way would: derived rows first, then MarkAsync in the same transaction.
        var start = MiniCCFactory.StartMs;
        await App.Database.WriteAsync(async (c, tx) =>
        {
            await c.ExecuteAsync(
                "INSERT INTO queue_visits (call_sid, queue_sid, queue_name, entered_at, answered_at, wait_seconds, operator_call_sid, operator_id, exited_at, result, talk_seconds) " +
                "VALUES ('CAcustomer1', 'QU1', 'MiniCC', @a, @b, 10, 'CAoperator1', 7, @c, 'bridged', 60)",
                new { a = start, b = start + 10_000, c = start + 70_000 }, tx);
            await c.ExecuteAsync("INSERT INTO calls (call_sid, role, started_at, ivr_choice) VALUES ('CAcustomer2', 'customer', @t, 'information')",
                new { t = start + (5 * Rollups.HourMs) }, tx);
            await Rollups.MarkAsync(c, tx, App.Database.Dialect, ["CAoperator1", "CAcustomer2", "CAnobody"], default);
            return 0;
        }, default);

        var marked = await App.Database.ReadAsync(c => c.QueryAsync<long>("SELECT hour FROM rollup_dirty ORDER BY hour"), default);
        Assert.Equal(new[] { start / Rollups.HourMs, (start / Rollups.HourMs) + 5 }, marked);
        var r = await SameAsHistoryAsync(Reports, Day, Day.AddDays(1));
        Assert.Equal((1L, 7L, 1L), (r.Totals.Answered, Assert.Single(r.Operators).OperatorId ?? 0, r.Ivr.Information));
        await RefreshAsync();
        Assert.Equal(0, await Rollups.MarkedHoursAsync(App.Database, default));
        Assert.Equal(JsonSerializer.Serialize(r), JsonSerializer.Serialize(await SameAsHistoryAsync(Reports, Day, Day.AddDays(1))));
    }

    /// <summary>Four visits of the default queue, rolled up: abandoned after 3 s and 8 s, answered after 12 s and 25 s.</summary>
    private async Task FourVisitsRolledUpAsync()
    {
        var op = await App.OperatorCallsInAsync();
        foreach (var (wait, result) in new[] { (3, "hangup"), (8, "hangup"), (12, "bridged"), (25, "bridged") })
        {
            var sid = NewCallSid();
            var queue = "QU" + sid[2..];
            await App.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", queue), ("QueueTime", "0")]));
            App.Clock.Advance(TimeSpan.FromSeconds(wait));
            var waited = wait.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (result == "bridged")
            {
                await App.TwimlAsync("/voice/whisper", Call(sid, extra: [("QueueSid", queue), ("QueueTime", waited), ("DequeingCallSid", op)]));
            }

            await App.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", result), ("QueueSid", queue), ("QueueTime", waited)]));
        }

        await RefreshAsync();
    }

    [SkippableFact]
    public async Task ReportsWithOtherThresholdsReadTheHistoryUntilTheRollupsAreCountedWithThem()
    {
        await FourVisitsRolledUpAsync();
        var strict = new ReportOptions { ShortAbandonSeconds = 10, ServiceLevelSeconds = 10 };
        var other = new ReportQuery(App.Database, Options.Create(strict), App.Clock, NullLogger<ReportQuery>.Instance);
        var before = await SameAsHistoryAsync(other, Day, Day.AddDays(1));
        Assert.Equal((2L, 0L), (before.Totals.ShortAbandoned, (long)before.Totals.ServiceLevelPercent));
        Assert.Equal((1L, 33L), (Assert.Single((await SameAsHistoryAsync(Reports, Day, Day.AddDays(1))).Days).Metrics.ShortAbandoned,
            (long)(await Reports.RunAsync(Day, Day.AddDays(1), 15, default)).Totals.ServiceLevelPercent));

        // Counted again with the other thresholds: each report still equals its history (the defaults' now read the history).
        Assert.True(await Rollups.MarkOtherThresholdsAsync(App.Database, RollupThresholds.Of(strict), default) > 0);
        await RefreshAsync(RollupThresholds.Of(strict));
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(await SameAsHistoryAsync(other, Day, Day.AddDays(1))));
        await SameAsHistoryOverSeveralRangesAsync();
    }

    [SkippableFact]
    public async Task AQueueWithAServiceLevelTimeOfItsOwnIsCountedWithItBeforeAndAfterItsRollupsAreCountedAgain()
    {
        await FourVisitsRolledUpAsync();
        var queues = new MiniCC.Queues.QueueDirectory(Options.Create(new MiniCC.Voice.VoiceOptions
        {
            Queues = [new MiniCC.Queues.QueueSettings { Name = "MiniCC", ServiceLevelSeconds = 10, ServiceLevelTargetPercent = 95 }],
        }));
        var own = new ReportQuery(App.Database, Options.Create(new ReportOptions()), App.Clock, NullLogger<ReportQuery>.Instance, queues);

        // Rolled up with the center's 20 s (one of three answered within it); the queue's 10 s reads the history: none.
        var before = await SameAsHistoryAsync(own, Day, Day.AddDays(1), queue: "MiniCC");
        Assert.Equal((10, 95.0, 0.0), (before.ServiceLevelSeconds, before.ServiceLevelTargetPercent, before.Totals.ServiceLevelPercent));
        Assert.Equal(0.0, (await SameAsHistoryAsync(own, Day, Day.AddDays(1))).Totals.ServiceLevelPercent);
        Assert.Equal(33.33, (await Reports.RunAsync(Day, Day.AddDays(1), 15, default)).Totals.ServiceLevelPercent);

        // The queue's rows are counted again with its own T: the same numbers, now from the rollups.
        var thresholds = RollupThresholds.Of(new ReportOptions(), queues);
        Assert.True(await Rollups.MarkOtherThresholdsAsync(App.Database, thresholds, default) > 0);
        await RefreshAsync(thresholds);
        Assert.Equal(0, await Rollups.MarkOtherThresholdsAsync(App.Database, thresholds, default));
        Assert.Equal(JsonSerializer.Serialize(before), JsonSerializer.Serialize(await SameAsHistoryAsync(own, Day, Day.AddDays(1), queue: "MiniCC")));
    }
}

/// <summary>After a busy simulated morning, rolled up as it was written: a rebuild from scratch gives the same rows.</summary>
public abstract class RollupRebuildTests(string provider)
{
    [SkippableFact]
    public async Task ARebuildEqualsTheRollupsTheWritesKept()
    {
        using var center = CallCenter.Open(provider, new() { ["MiniCC:Reports:TimeZone"] = "Asia/Kolkata" }, seed: 7);
        var scenario = new Scenario { Duration = TimeSpan.FromHours(3), ArrivalsPerHour = 90, Operators = 4, MeanTalk = TimeSpan.FromMinutes(2) };
        for (var i = 1; i <= scenario.Operators; i++)
        {
            await center.AddOperatorAsync(Scenario.OperatorPhone(i), $"Op {i}");
        }

        await Simulation.RunAsync(center.Twilio, scenario);
        var db = center.App.Database;
        var thresholds = RollupThresholds.Of(new ReportOptions());
        await Rollups.RefreshAllAsync(db, thresholds, null, default);
        var kept = await RowsAsync(db);
        Assert.True(kept.Count > 20, $"{kept.Count} rollup rows");

        await Rollups.RebuildAsync(db, thresholds, null, default);
        Assert.Equal(kept, await RowsAsync(db));

        // Kolkata is 5:30 ahead: its intervals and days cut UTC hours in half.
        var reports = center.App.Services.GetRequiredService<ReportQuery>();
        var start = center.Twilio.Options.Start;
        foreach (var (from, to, interval) in new[] { (start.AddHours(-12), start.AddHours(24), 30), (start.AddMinutes(7), start.AddMinutes(173), 15) })
        {
            var rolledUp = await reports.RunAsync(from, to, interval, null, ReportSource.Rollups, default);
            var history = await reports.RunAsync(from, to, interval, null, ReportSource.History, default);
            Assert.Equal(JsonSerializer.Serialize(history), JsonSerializer.Serialize(rolledUp));
        }
    }

    private static async Task<List<string>> RowsAsync(Database db) =>
        (await db.ReadAsync(async c => (await c.QueryAsync(
                "SELECT * FROM rollup_queue ORDER BY bucket, queue_name")).Concat(await c.QueryAsync(
                "SELECT * FROM rollup_operators ORDER BY span, slot, queue_name, operator_id")).Concat(await c.QueryAsync(
                "SELECT * FROM rollup_ivr ORDER BY span, slot")), default))
            .Select(r => string.Join(",", ((IDictionary<string, object?>)r).Values))
            .ToList();
}

public sealed class SqliteRollupRebuildTests() : RollupRebuildTests("sqlite");

public sealed class MySqlRollupRebuildTests() : RollupRebuildTests("mysql");

public sealed class PostgresRollupRebuildTests() : RollupRebuildTests("postgres");
