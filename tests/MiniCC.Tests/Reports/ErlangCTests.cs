using System.Text.Json;
using MiniCC.Reports;

namespace MiniCC.Tests.Reports;

public sealed class ErlangCTests
{
    /// <summary>
    /// The worked example published by Call Centre Helper ("Erlang C formula – made simple", 100 calls in 30 minutes,
    /// AHT 180 s, 80% within 20 s, shrinkage 30%) as the open-source pyworkforce library's test asserts it:
    /// 14 agents, service level 0.888, probability of waiting 0.174, occupancy 0.714; 20 scheduled after shrinkage.
    /// </summary>
    [Fact]
    public void ThePublishedWorkedExampleIsReproduced()
    {
        var r = ErlangC.Required(calls: 100, TimeSpan.FromMinutes(30), ahtSeconds: 180, answerWithinSeconds: 20, target: 0.80, shrinkage: 0.30);
        Assert.Equal(10.0, r.TrafficErlangs, 9);
        Assert.Equal(14, r.Agents);
        Assert.Equal(0.888, Math.Round(r.ServiceLevel, 3));
        Assert.Equal(0.174, Math.Round(r.ProbabilityOfWaiting, 3));
        Assert.Equal(0.714, Math.Round(r.Occupancy, 3));
        Assert.Equal(20, r.Scheduled);
        Assert.Equal(7.8, Math.Round(r.AverageSpeedOfAnswerSeconds, 1));
    }

    [Fact]
    public void OneFewerOperatorMissesTheTarget()
    {
        var thirteen = ErlangC.Evaluate(13, 100, TimeSpan.FromMinutes(30), 180, 20);
        Assert.True(thirteen.ServiceLevel < 0.80, thirteen.ServiceLevel.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheStableFormMatchesTheTextbookFormulaWhereThatCanBeComputed()
    {
        // The textbook form with factorials, fine for small N.
        static double Textbook(int n, double a)
        {
            double Term(int k) => Math.Pow(a, k) / Enumerable.Range(1, k).Aggregate(1.0, (f, i) => f * i);
            var top = Term(n) * n / (n - a);
            return top / (Enumerable.Range(0, n).Sum(Term) + top);
        }

        foreach (var (n, a) in new[] { (11, 10.0), (2, 1.5), (20, 12.3), (40, 35.0) })
        {
            Assert.Equal(Textbook(n, a), ErlangC.ProbabilityOfWaiting(n, a), 12);
        }
    }

    [Fact]
    public void AHundredSeatCenterStaysFiniteAndMonotonic()
    {
        // 1,000 Erlangs: A^N/N! overflows a double long before this, the recurrence does not.
        var r = ErlangC.Required(calls: 20_000, TimeSpan.FromHours(1), ahtSeconds: 180, answerWithinSeconds: 20, target: 0.9);
        Assert.InRange(r.Agents, 1001, 1100);
        Assert.True(double.IsFinite(r.ProbabilityOfWaiting));
        var previous = 1.0;
        for (var n = 1001; n < 1100; n++)
        {
            var pw = ErlangC.ProbabilityOfWaiting(n, 1000);
            Assert.True(pw <= previous && pw >= 0, $"N={n}: {pw}");
            previous = pw;
        }
    }

    [Fact]
    public void EdgeCasesHaveSensibleAnswers()
    {
        Assert.Equal(1.0, ErlangC.ProbabilityOfWaiting(5, 5.0));
        Assert.Equal(0.0, ErlangC.ServiceLevel(5, 7.0, 180, 20));
        var none = ErlangC.Required(0, TimeSpan.FromMinutes(30), 180, 20, 0.8);
        Assert.Equal((0, 1.0), (none.Agents, none.ServiceLevel));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Required(10, TimeSpan.FromMinutes(30), 180, 20, 1.0));
        Assert.Throws<ArgumentOutOfRangeException>(() => ErlangC.Required(10, TimeSpan.Zero, 180, 20, 0.8));
    }

    [Fact]
    public void TheRequiredOperatorsAreTheFewestWhoseServiceLevelReachesTheTarget()
    {
        var random = new Random(3);
        for (var i = 0; i < 2_000; i++)
        {
            var calls = random.Next(1, 3_000);
            var aht = random.Next(30, 900);
            var within = random.Next(1, 120);
            var target = random.Next(1, 99) / 100.0;
            var a = ErlangC.Traffic(calls, TimeSpan.FromMinutes(30), aht);
            var n = (int)Math.Floor(a) + 1;
            while (ErlangC.ServiceLevel(n, a, aht, within) < target)
            {
                n++;
            }

            Assert.Equal(n, ErlangC.Required(calls, TimeSpan.FromMinutes(30), aht, within, target).Agents);
        }
    }

    [Fact]
    public async Task TheStaffingVerbPrintsThePredictionAsJson()
    {
        using var cli = new Minicc();
        var result = await cli.RunAsync("staffing", "--calls", "100", "--interval", "30m", "--aht", "180s", "--answer-within", "20s", "--target", "80", "--shrinkage", "30", "--json");
        Assert.Equal(0, result.ExitCode);
        var json = JsonDocument.Parse(result.Out).RootElement;
        Assert.Equal(14, json.GetProperty("agents").GetInt32());
        Assert.Equal(20, json.GetProperty("scheduled").GetInt32());
        Assert.Equal(0.888, Math.Round(json.GetProperty("serviceLevel").GetDouble(), 3));
        Assert.Equal(0.174, Math.Round(json.GetProperty("probabilityOfWaiting").GetDouble(), 3));
        Assert.Equal(7.8, Math.Round(json.GetProperty("averageSpeedOfAnswerSeconds").GetDouble(), 1));
        Assert.Equal(0.714, Math.Round(json.GetProperty("occupancy").GetDouble(), 3));

        var table = await cli.RunAsync("staffing", "--calls", "100", "--aht", "3m");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains("Operators needed:        14", table.Out, StringComparison.Ordinal);

        var bad = await cli.RunAsync("staffing", "--calls", "100", "--aht", "three minutes");
        Assert.Equal(2, bad.ExitCode);
        Assert.StartsWith("minicc: ", bad.Err, StringComparison.Ordinal);
    }
}
