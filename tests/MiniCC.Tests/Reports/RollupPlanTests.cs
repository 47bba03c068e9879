using System.Text.Json;
using MiniCC.Reports;

namespace MiniCC.Tests.Reports;

/// <summary>How a report's range is split between rollup levels and the history, and the sums computed beside it.</summary>
public sealed class RollupPlanTests
{
    private const long Hour = Rollups.HourMs;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void EveryMillisecondOfTheRangeIsReadOnceAndNoMarkedHourFromARollup(int seed)
    {
        var random = new Random(seed);
        var levelSets = new[] { new[] { Rollups.BucketMs }, new[] { Rollups.DayMs, Rollups.HourMs } };
        for (var round = 0; round < 300; round++)
        {
            var from = 1_750_000_000_000L + random.NextInt64(0, 60 * Hour);
            var to = from + random.NextInt64(0, 80 * Hour);
            var dirty = new SortedSet<long>(Enumerable.Range(0, random.Next(0, 6)).Select(_ => (from / Hour) + random.NextInt64(-2, 82)));
            foreach (var levels in levelSets)
            {
                var plan = RollupPlan.Of(from, to, dirty, levels);
                var pieces = plan.Slots.SelectMany((ranges, level) => ranges.Select(r => (From: r.From * levels[level], To: r.To * levels[level], Rollup: true)))
                    .Concat(plan.History.Select(r => (r.From, r.To, Rollup: false)))
                    .OrderBy(p => p.From)
                    .ToList();

                // A partition of [from, to).
                var at = from;
                foreach (var p in pieces)
                {
                    Assert.Equal(at, p.From);
                    Assert.True(p.To > p.From);
                    at = p.To;
                }

                Assert.Equal(to, at);

                // No rollup piece holds a marked hour; the history reads whole finest slots only where they are marked.
                var finest = levels[^1];
                Assert.DoesNotContain(pieces, p => p.Rollup && dirty.Any(h => h * Hour < p.To && (h + 1) * Hour > p.From));
                foreach (var p in pieces.Where(p => !p.Rollup))
                {
                    for (var slot = RollupPlan.CeilDiv(p.From, finest); (slot + 1) * finest <= p.To; slot++)
                    {
                        Assert.Contains(dirty, h => h * Hour < (slot + 1) * finest && (h + 1) * Hour > slot * finest);
                    }
                }
            }
        }
    }

    [Fact]
    public void WithoutRollupsTheWholeRangeIsReadFromTheHistory()
    {
        var plan = RollupPlan.Of(1_000 * Hour, 1_100 * Hour, null, Rollups.DayMs, Rollups.HourMs);
        Assert.Equal([new SlotRange(1_000 * Hour, 1_100 * Hour)], plan.History);
        Assert.Empty(plan.Slots);
    }

    [Fact]
    public void AClearDayIsOneDayRowAndADayWithAMarkedHourIsItsOtherHours()
    {
        var day = 20_000L;
        var plan = RollupPlan.Of((day * 24 * Hour) - (30 * 60 * 1000), (day + 2) * 24 * Hour, new SortedSet<long> { (day * 24) + 5 }, Rollups.DayMs, Rollups.HourMs);
        Assert.Equal([new SlotRange(day + 1, day + 2)], plan.Slots[0]);
        Assert.Equal([new SlotRange(day * 24, (day * 24) + 5), new SlotRange((day * 24) + 6, (day + 1) * 24)], plan.Slots[1]);
        Assert.Equal([new SlotRange((day * 24 * Hour) - (30 * 60 * 1000), day * 24 * Hour), new SlotRange(((day * 24) + 5) * Hour, ((day * 24) + 6) * Hour)],
            plan.History);
    }

    [Fact]
    public void SignedInTimeIsTheSumOfEachSessionsOverlapWithTheWindow()
    {
        var random = new Random(5);
        var sessions = Enumerable.Range(0, 200).Select(_ =>
        {
            var start = random.NextInt64(0, 100_000);
            return (Start: start, End: start + random.NextInt64(-50, 20_000));
        }).ToList();
        var signedIn = new SignedInTime(sessions);
        for (var i = 0; i < 500; i++)
        {
            var from = random.NextInt64(-1_000, 130_000);
            var to = from + random.NextInt64(-100, 30_000);
            var expected = to <= from ? 0 : sessions.Sum(s => Math.Max(0, Math.Min(s.End, to) - Math.Max(s.Start, from)));
            Assert.Equal(expected, signedIn.Within(from, to));
        }
    }
}

public sealed class RollupsCommandTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task RebuildRollsUpTheHistoryAndTheReportStaysTheSame()
    {
        var simulate = await _cli.RunAsync("simulate", "--calls", "40", "--operators", "2", "--seed", "5", "--start", "2026-11-20T09:00:00+09:00", "--json");
        Assert.True(simulate.ExitCode == 0, simulate.Err);
        string[] report = ["report", "--from", "2026-11-20", "--format", "json"];
        var before = await _cli.RunAsync(report);
        Assert.True(JsonDocument.Parse(before.Out).RootElement.GetProperty("offered").GetInt64() > 0);

        var rebuild = await _cli.RunAsync("rollups", "rebuild");
        Assert.True(rebuild.ExitCode == 0, rebuild.Err);
        Assert.Matches(@"^Rolled up [1-9]\d* hours of history\.", rebuild.Out);
        Assert.Equal("Rollups are up to date.", (await _cli.RunAsync("rollups", "status")).Out.Trim());
        Assert.Equal(before.Out, (await _cli.RunAsync(report)).Out);
        Assert.Matches(@"schema version \d+ \(up to date\)\.", (await _cli.RunAsync("migrate")).Out);
    }
}
