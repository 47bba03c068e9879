using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using MiniCC.Emulator;
using MiniCC.Operators;
using MiniCC.Voice;

namespace MiniCC.WaitEstimateBench;

/// <summary>One simulated day against MiniCC hosted in memory on a fresh SQLite file, as <c>minicc simulate</c> runs it.</summary>
internal static class DayRun
{
    private const string Token = "wait-estimate-bench-token";

    public static async Task<(IReadOnlyList<WaitSample> Samples, int Queued)> RunAsync(Scenario scenario, int seed, IEnumerable<string> settings, PromptSet prompts)
    {
        var directory = Directory.CreateTempSubdirectory("minicc-wait-estimate-");
        try
        {
            var start = new DateTimeOffset(2026, 11, 24, 9, 0, 0, TimeSpan.FromHours(9));
            var clock = new VirtualClock(start);
            string[] hostArgs =
            [
                "--Database:Provider=sqlite", $"--ConnectionStrings:MiniCC=Data Source={Path.Combine(directory.FullName, "minicc.db")}",
                $"--Twilio:AuthToken={Token}", $"--MiniCC:SpoolDirectory={Path.Combine(directory.FullName, "spool")}", $"--MiniCC:Language={prompts.Language}",
                "--Logging:LogLevel:Default=Warning", "--Logging:LogLevel:Microsoft.AspNetCore=Error", "--Logging:LogLevel:MiniCC.Pages=Error",
                $"--Logging:LogLevel:{EstimateLog.Category}=Debug", .. settings,
            ];
            var estimates = new EstimateLog();
            var app = WebServer.Build(hostArgs, b =>
            {
                b.WebHost.UseTestServer();
                b.Logging.AddProvider(estimates).AddFilter<ConsoleLoggerProvider>(EstimateLog.Category, LogLevel.Warning);
                b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
            });
            await app.StartAsync();
            await using (app)
            {
                var operators = app.Services.GetRequiredService<OperatorStore>();
                for (var i = 1; i <= scenario.Operators; i++)
                {
                    await operators.AddAsync(Scenario.OperatorPhone(i), $"Operator {i}", default);
                }

                using var client = app.GetTestClient();
                var twilio = new TwilioEmulator(client, new EmulatorOptions { AuthToken = Token, Seed = seed, Start = start }, clock);
                await Simulation.RunAsync(twilio, scenario);
                if (twilio.ApplicationErrors.Count > 0)
                {
                    throw new InvalidOperationException($"seed {seed}: {twilio.ApplicationErrors.Count} application errors, the first {twilio.ApplicationErrors[0]}");
                }

                await app.StopAsync();
                return DayAccuracy.Samples(twilio.Calls, prompts, estimates.FirstSeconds);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
