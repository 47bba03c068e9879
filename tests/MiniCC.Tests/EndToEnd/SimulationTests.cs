using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Emulator;
using MiniCC.Reports;

namespace MiniCC.Tests.EndToEnd;

public sealed class SqliteSimulationTests() : SimulationTests("sqlite");

public sealed class MySqlSimulationTests() : SimulationTests("mysql");

public sealed class PostgresSimulationTests() : SimulationTests("postgres");

/// <summary>Simulated hours through the emulator: what the app stored and reports equals the emulator's ground truth.</summary>
public abstract class SimulationTests(string provider)
{
    private static readonly Scenario Busy = new()
    {
        Duration = TimeSpan.FromHours(1),
        ArrivalsPerHour = 150,
        Operators = 5,
        MeanTalk = TimeSpan.FromMinutes(2),
        MeanPatience = TimeSpan.FromSeconds(90),
    };

    private async Task<(CallCenter Center, TruthSummary Truth)> RunAsync(Scenario scenario, int seed)
    {
        var center = CallCenter.Open(provider, new() { ["MiniCC:Reports:TimeZone"] = "UTC" }, seed);
        for (var i = 1; i <= scenario.Operators; i++)
        {
            await center.AddOperatorAsync(Scenario.OperatorPhone(i), $"Op {i}");
        }

        var truth = await Simulation.RunAsync(center.Twilio, scenario);
        return (center, truth);
    }

    [SkippableFact]
    public async Task OperatorsWhoTakeBreaksAndWrapUpStillMatchTheGroundTruthAndTheirBreaksAreReported()
    {
        var scenario = Busy with { Operators = 6, MeanTimeBetweenBreaks = TimeSpan.FromMinutes(15), BreakLength = TimeSpan.FromMinutes(5) };
        var (center, truth) = await RunAsync(scenario, seed: 4);
        using var _ = center;
        Assert.Empty(center.Twilio.ApplicationErrors);

        var report = await center.App.Services.GetRequiredService<ReportQuery>()
            .RunAsync(center.Twilio.Options.Start.AddHours(-1), center.Twilio.Now.AddHours(1), 30, default);
        Assert.Equal((truth.Offered, truth.Answered, truth.Abandoned), ((int)report.Totals.Offered, (int)report.Totals.Answered, (int)report.Totals.Abandoned));
        Assert.Equal(truth.AverageTalkSeconds, report.Totals.AverageTalkSeconds);
        var states = report.Operators.Select(o => o.States!).ToList();
        Assert.Contains(states, s => s.BreakSeconds >= 300);
        Assert.All(states, s => Assert.True(s.WrapUpSeconds > 0));
        // Handle time adds the wrap-up to the talk.
        Assert.True(report.Totals.AverageHandleTimeSeconds > report.Totals.AverageTalkSeconds);
        var breaks = await center.App.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long>(c,
            "SELECT COUNT(*) FROM operator_states WHERE state = 'break' AND reason = 'break' AND cause = 'key'"), default);
        Assert.True(breaks >= 2, $"breaks {breaks}");
    }

    [SkippableTheory]
    [InlineData(1, 60.0, 8, 120.0)]   // quiet: plenty of operators
    [InlineData(2, 150.0, 5, 90.0)]   // busy
    [InlineData(3, 240.0, 3, 45.0)]   // overloaded: many abandons
    public async Task EveryCallIsStoredAsItHappenedAndTheReportEqualsTheGroundTruth(int seed, double perHour, int operators, double patience)
    {
        var scenario = Busy with { ArrivalsPerHour = perHour, Operators = operators, MeanPatience = TimeSpan.FromSeconds(patience) };
        var (center, truth) = await RunAsync(scenario, seed);
        using var _ = center;
        Assert.Empty(center.Twilio.ApplicationErrors);
        Assert.True(truth.Offered > 10, $"offered {truth.Offered}");

        // Call by call.
        var visits = (await center.History.QueueVisitsAsync(default)).ToDictionary(v => v.CallSid);
        var queued = center.Twilio.Truth.Where(t => !t.IsOperator && t.Queued).ToList();
        Assert.Equal(queued.Count, visits.Count);
        foreach (var t in queued)
        {
            var v = visits[t.CallSid];
            Assert.Equal((t.QueueResult, t.WaitSeconds, t.TalkSeconds, t.AnsweredByCallSid),
                (v.Result, (int?)v.WaitSeconds, (int?)v.TalkSeconds, v.OperatorCallSid));
            Assert.Equal(t.EnteredQueueAt?.ToUnixTimeMilliseconds(), v.EnteredAt);
        }

        var calls = (await center.History.CallsAsync(default)).ToDictionary(c => c.CallSid);
        foreach (var t in center.Twilio.Truth.Where(t => !t.IsOperator))
        {
            Assert.Equal((t.IvrChoice, t.DurationSeconds), (calls[t.CallSid].IvrChoice, (int?)calls[t.CallSid].DurationSeconds));
        }

        // Each status callback's CallDuration is the call's own: from its first webhook to its end, not from the run's start.
        foreach (var t in center.Twilio.Truth.Where(t => !t.IsOperator && t.DurationSeconds > 0))
        {
            var c = calls[t.CallSid];
            Assert.Equal((c.EndedAt!.Value - c.StartedAt) / 1000, c.DurationSeconds);
        }

        // The report's totals.
        var query = center.App.Services.GetRequiredService<ReportQuery>();
        var report = await query.RunAsync(center.Twilio.Options.Start.AddHours(-1), center.Twilio.Now.AddHours(1), 30, default);
        var r = report.Totals;
        Assert.Equal((truth.Offered, truth.Answered, truth.Abandoned, truth.ShortAbandoned, truth.OtherExits),
            ((int)r.Offered, (int)r.Answered, (int)r.Abandoned, (int)r.ShortAbandoned, (int)r.OtherExits));
        Assert.Equal(truth.AverageSpeedOfAnswerSeconds, r.AverageSpeedOfAnswerSeconds);
        Assert.Equal(truth.AverageTalkSeconds, r.AverageTalkSeconds);
        Assert.Equal(truth.LongestWaitSeconds, (int)r.LongestWaitSeconds);
        var slBase = truth.Answered + truth.Abandoned - truth.ShortAbandoned;
        Assert.Equal(Math.Round(100.0 * truth.AnsweredWithin20Seconds / slBase, 2), r.ServiceLevelPercent);
        Assert.Equal(truth.Answered, (int)report.Operators.Sum(o => o.CallsTaken));
        Assert.Equal((truth.Information, truth.NoInput), ((int)report.Ivr.Information, (int)report.Ivr.NoInput));
        Assert.Equal(truth.CustomerCalls, (int)report.Ivr.Calls);
    }

    [SkippableFact]
    public async Task TheSameSeedGivesTheSameCallsAndResults()
    {
        var scenario = Busy with { Duration = TimeSpan.FromMinutes(30) };
        var (a, truthA) = await RunAsync(scenario, seed: 42);
        var (b, truthB) = await RunAsync(scenario, seed: 42);
        using (a)
        using (b)
        {
            Assert.Equal(truthA, truthB);
            Assert.Equal(a.Twilio.Truth.Select(t => JsonSerializer.Serialize(t)), b.Twilio.Truth.Select(t => JsonSerializer.Serialize(t)));
            Assert.Equal((await a.History.QueueVisitsAsync(default)).Select(v => v with { }), await b.History.QueueVisitsAsync(default));
        }
    }
}

/// <summary><c>minicc simulate</c> and <c>minicc report</c>, as a person runs them.</summary>
public sealed class SimulateCommandTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task AnEightHourDayPrintsTheSameJsonTwiceWithoutApplicationErrorsAndTheReportMatchesIt()
    {
        string[] args = ["simulate", "--hours", "8", "--operators", "5", "--arrival-rate", "120", "--seed", "1", "--start", "2026-11-20T09:00:00+09:00", "--json"];
        // The real process: what it prints is the subject (its summary alone, no log lines: the web root and the users
        // to sign in are a server's concerns) without --verbose.
        var first = await _cli.RunProcessAsync(args);
        Assert.True(first.ExitCode == 0, first.Err);
        Assert.DoesNotMatch("(?m)^(info|warn): ", first.Out + first.Err);
        var truth = JsonDocument.Parse(first.Out).RootElement;
        foreach (var key in new[] { "calls", "offered", "answered", "abandoned", "information", "applicationErrors", "averageSpeedOfAnswerSeconds" })
        {
            Assert.True(truth.TryGetProperty(key, out _), key);
        }

        Assert.Equal(0, truth.GetProperty("applicationErrors").GetInt32());
        Assert.InRange(truth.GetProperty("calls").GetInt32(), 800, 1100);

        var report = await _cli.RunAsync("report", "--from", "2026-11-20", "--to", "2026-11-20", "--format", "json");
        Assert.True(report.ExitCode == 0, report.Err);
        var r = JsonDocument.Parse(report.Out).RootElement;
        foreach (var key in new[] { "offered", "answered", "abandoned", "shortAbandoned" })
        {
            Assert.Equal(truth.GetProperty(key).GetInt32(), r.GetProperty(key).GetInt32());
        }

        Assert.Equal(truth.GetProperty("averageSpeedOfAnswerSeconds").GetDouble(), r.GetProperty("averageSpeedOfAnswerSeconds").GetDouble());

        // Again, on a fresh database: the same seed gives the same JSON.
        _cli.Environment["ConnectionStrings__MiniCC"] = $"Data Source={Path.Combine(_cli.WorkingDirectory, "second.db")}";
        var second = await _cli.RunProcessAsync(args);
        Assert.Equal(first.Out, second.Out);
    }

    [Fact]
    public async Task TheUrlModeDrivesARunningServerInRealTime()
    {
        _cli.Environment["Twilio__AuthToken"] = "url-mode-token";
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819010000001")).ExitCode);
        var port = Minicc.FreePort();
        await using var server = await _cli.StartServerAsync(port);
        var run = await _cli.RunAsync("simulate", "--url", $"http://127.0.0.1:{port}", "--calls", "3", "--operators", "1",
            "--mean-talk", "20", "--patience", "0", "--speed", "60", "--json");
        Assert.True(run.ExitCode == 0, run.Err);
        var truth = JsonDocument.Parse(run.Out).RootElement;
        Assert.Equal((3, 0), (truth.GetProperty("calls").GetInt32(), truth.GetProperty("applicationErrors").GetInt32()));
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo")).DateTime);
        var report = JsonDocument.Parse((await _cli.RunAsync("report", "--from", today.AddDays(-1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            "--to", today.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), "--format", "json")).Out).RootElement;
        Assert.Equal(truth.GetProperty("offered").GetInt32(), report.GetProperty("offered").GetInt32());
        Assert.Equal(truth.GetProperty("answered").GetInt32(), report.GetProperty("answered").GetInt32());
    }
}
