using System.Diagnostics;
using MiniCC.Emulator;

namespace MiniCC.Tests.EndToEnd;

/// <summary>Stopping the shared MariaDB server would fail every other MySQL test running beside it: this runs alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RunsAlone
{
    public const string Name = "Database outage (runs alone)";
}

/// <summary>
/// The MariaDB server is stopped in the middle of a simulated busy hour and started again: calls keep flowing,
/// events wait in the spool, and afterwards the stored history equals the ground truth exactly.
/// </summary>
[Collection(RunsAlone.Name)]
public sealed class OutageTests
{
    public const string ControlVariable = "MINICC_TEST_DB_CONTROL";

    /// <summary>Runs the database control script synchronously (the simulation waits for it, as it would for any event).</summary>
    private sealed class Outage(string script, double stopAt, double startAt) : IProgress<double>
    {
        public bool Stopped { get; private set; }
        public bool Restarted { get; private set; }

        public void Report(double value)
        {
            if (!Stopped && value >= stopAt)
            {
                Run("stop-mysql");
                Stopped = true;
            }
            else if (Stopped && !Restarted && value >= startAt)
            {
                Run("start-mysql");
                Restarted = true;
            }
        }

        private void Run(string verb)
        {
            using var p = Process.Start(new ProcessStartInfo("bash", [script, verb]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
            p.WaitForExit(60_000);
            Assert.True(p.ExitCode == 0, $"{verb}: {p.StandardError.ReadToEnd()}");
        }
    }

    [SkippableFact]
    public async Task StoppingMariaDbMidHourLosesNothingAndTheHistoryEqualsTheGroundTruth()
    {
        var script = Environment.GetEnvironmentVariable(ControlVariable);
        Skip.If(string.IsNullOrEmpty(script), $"{ControlVariable} is not set: no database server this test may stop (CI sets it).");
        using var center = CallCenter.Open("mysql", seed: 11);
        var scenario = new Scenario { Duration = TimeSpan.FromHours(1), ArrivalsPerHour = 150, Operators = 5, MeanPatience = TimeSpan.FromSeconds(100) };
        for (var i = 1; i <= scenario.Operators; i++)
        {
            await center.AddOperatorAsync(Scenario.OperatorPhone(i), $"Op {i}");
        }

        var outage = new Outage(script!, stopAt: 0.3, startAt: 0.6);
        var truth = await Simulation.RunAsync(center.Twilio, scenario, outage);
        Assert.True(outage.Stopped && outage.Restarted);
        Assert.Empty(center.Twilio.ApplicationErrors);
        Assert.Contains(center.App.Logs.Lines, l => l.Contains("spooling it", StringComparison.Ordinal));

        await center.History.DrainAsync();
        Assert.Equal(0, center.App.Spool.Backlog);
        var visits = (await center.History.QueueVisitsAsync(default)).ToDictionary(v => v.CallSid);
        var queued = center.Twilio.Truth.Where(t => !t.IsOperator && t.Queued).ToList();
        Assert.Equal(truth.Offered, visits.Count);
        foreach (var t in queued)
        {
            var v = visits[t.CallSid];
            Assert.Equal((t.QueueResult, t.WaitSeconds, t.TalkSeconds, t.AnsweredByCallSid, t.EnteredQueueAt?.ToUnixTimeMilliseconds()),
                (v.Result, (int?)v.WaitSeconds, (int?)v.TalkSeconds, v.OperatorCallSid, (long?)v.EnteredAt));
        }

        var calls = (await center.History.CallsAsync(default)).ToDictionary(c => c.CallSid);
        foreach (var t in center.Twilio.Truth)
        {
            Assert.Equal((t.DurationSeconds, t.IsOperator ? "operator" : "customer"), ((int?)calls[t.CallSid].DurationSeconds, calls[t.CallSid].Role));
            if (!t.IsOperator)
            {
                Assert.Equal(t.IvrChoice, calls[t.CallSid].IvrChoice);
            }
        }
    }
}
