using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MiniCC.Emulator;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Security;
using MiniCC.Settings;

namespace MiniCC.Cli;

/// <summary>
/// <c>minicc simulate</c>: a simulated day of calls through the Twilio emulator, against the app hosted in
/// memory on its configured database (so the database fills with realistic history), or against a running
/// server over HTTP in real time (<c>--url</c>).
/// </summary>
internal static class SimulateCommand
{
    public static Command Create(CliContext cli)
    {
        var hours = new Option<double>("--hours") { Description = "Hours of arrivals.", DefaultValueFactory = _ => 1 };
        var calls = new Option<int?>("--calls") { Description = "Number of customers (instead of --hours)." };
        var rate = new Option<double>("--arrival-rate") { Description = "Customers per hour (Poisson arrivals).", DefaultValueFactory = _ => 120 };
        var operators = new Option<int>("--operators") { Description = "Operators in the loop.", DefaultValueFactory = _ => 5 };
        var talk = new Option<double>("--mean-talk") { Description = "Mean talk time, seconds.", DefaultValueFactory = _ => 180 };
        var patience = new Option<double>("--patience") { Description = "Mean patience in the queue before abandoning, seconds (0: nobody abandons).", DefaultValueFactory = _ => 120 };
        var seed = new Option<int>("--seed") { Description = "Random seed: the same seed gives the same calls and results.", DefaultValueFactory = _ => 1 };
        var start = new Option<string?>("--start") { Description = "Simulated start time, ISO 8601 (default: today 09:00 in the report time zone)." };
        var json = new Option<bool>("--json") { Description = "Print the ground truth as one JSON object." };
        var url = new Option<string?>("--url") { Description = "Drive a running MiniCC at this URL over HTTP, in real time, instead of hosting it in memory." };
        var speed = new Option<double>("--speed") { Description = "With --url: run this many times faster than real time.", DefaultValueFactory = _ => 1 };
        var trace = new Option<bool>("--trace") { Description = "Print every request, response and application error." };
        var verbose = new Option<bool>("--verbose") { Description = "Print MiniCC's own log (warnings and errors only without it)." };
        var command = new Command("simulate", "Simulate callers and operators through the Twilio emulator; the history lands in the database.")
        {
            hours, calls, rate, operators, talk, patience, seed, start, json, url, speed, trace, verbose,
        };
        command.SetAction(async (r, ct) =>
        {
            var scenario = new Scenario
            {
                Duration = TimeSpan.FromHours(r.GetValue(hours)),
                Calls = r.GetValue(calls),
                ArrivalsPerHour = r.GetValue(rate),
                Operators = r.GetValue(operators),
                MeanTalk = TimeSpan.FromSeconds(r.GetValue(talk)),
                MeanPatience = r.GetValue(patience) > 0 ? TimeSpan.FromSeconds(r.GetValue(patience)) : null,
            };
            if (scenario.ArrivalsPerHour <= 0 || scenario.Operators < 0 || scenario.Duration <= TimeSpan.Zero || scenario.MeanTalk <= TimeSpan.Zero)
            {
                await cli.Error.WriteLineAsync("minicc: --hours, --arrival-rate and --mean-talk must be positive, --operators 0 or more.");
                return 2;
            }

            DateTimeOffset? startAt = null;
            if (r.GetValue(start) is { } s)
            {
                if (!DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    await cli.Error.WriteLineAsync("minicc: --start is an ISO 8601 time, e.g. 2026-11-24T09:00:00+09:00.");
                    return 2;
                }

                startAt = parsed;
            }

            return r.GetValue(url) is { } target
                ? await OverHttpAsync(cli, new Uri(target), scenario, r.GetValue(seed), r.GetValue(speed), r.GetValue(json), r.GetValue(trace), ct)
                : await InMemoryAsync(cli, scenario, r.GetValue(seed), startAt, r.GetValue(json), r.GetValue(trace), r.GetValue(verbose), ct);
        });
        return command;
    }

    private static async Task<int> InMemoryAsync(CliContext cli, Scenario scenario, int seed, DateTimeOffset? start, bool json, bool trace, bool verbose, CancellationToken ct)
    {
        var startAt = start ?? DefaultStart();
        var clock = new VirtualClock(startAt);
        // Webhooks are signed with the configured auth token, or with a one-off one for this run.
        var oneOffToken = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        WebApplication app;
        try
        {
            app = WebServer.Build(cli.HostArgs(), b =>
            {
                cli.AddConfigFile(b);
                b.Services.PostConfigure<TwilioOptions>(o => o.AuthToken = string.IsNullOrEmpty(o.AuthToken) ? oneOffToken : o.AuthToken);
                b.WebHost.UseTestServer();
                // Over the progress bar, only what needs attention; every category, whatever appsettings.json says.
                // (A web root and users to sign in are the server's concerns, not a simulation's.)
                b.Configuration.AddInMemoryCollection([
                    KeyValuePair.Create<string, string?>("Logging:LogLevel:Default", verbose ? "Information" : "Warning"),
                    KeyValuePair.Create<string, string?>("Logging:LogLevel:Microsoft.AspNetCore.StaticFiles", verbose ? "Information" : "Error"),
                    KeyValuePair.Create<string, string?>("Logging:LogLevel:MiniCC.Pages", verbose ? "Information" : "Error"),
                ]);
                b.Logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
                b.Services.Replace(ServiceDescriptor.Singleton<TimeProvider>(clock));
            });
            await app.StartAsync(ct);
        }
        catch (Exception ex) when (MiniCCCommands.Explain(ex) is { } message)
        {
            await cli.Error.WriteLineAsync("minicc: " + message);
            return 1;
        }

        await using (app)
        {
            var token = app.Services.GetRequiredService<IOptions<TwilioOptions>>().Value.AuthToken;
            var basicAuth = app.Services.GetRequiredService<IOptions<WebhookSecurityOptions>>().Value.BasicAuth;
            var store = app.Services.GetRequiredService<OperatorStore>();
            for (var i = 1; i <= scenario.Operators; i++)
            {
                await store.AddAsync(Scenario.OperatorPhone(i), $"Simulated operator {i}", ct);
            }

            using var client = app.GetTestClient();
            var twilio = new TwilioEmulator(client, new EmulatorOptions
            {
                AuthToken = token,
                BasicAuthUsername = basicAuth.Username,
                BasicAuthPassword = basicAuth.Password,
                Seed = seed,
                Start = startAt,
            }, clock);
            if (trace)
            {
                twilio.Trace = line => cli.Error.WriteLine(line);
            }

            var watch = System.Diagnostics.Stopwatch.StartNew();
            var summary = await Simulation.RunAsync(twilio, scenario, json || trace ? null : new Progress<double>(f => ProgressBar(cli, f)));
            watch.Stop();
            await app.StopAsync(ct);
            Report(cli, summary, twilio, json, watch.Elapsed, startAt);
            return 0;
        }
    }

    private static async Task<int> OverHttpAsync(CliContext cli, Uri url, Scenario scenario, int seed, double speed, bool json, bool trace, CancellationToken ct)
    {
        if (speed <= 0)
        {
            await cli.Error.WriteLineAsync("minicc: --speed must be positive.");
            return 2;
        }

        // Signed as the server expects, with its settings from this environment (Twilio__AuthToken, MiniCC__BasicAuth__…).
        var environment = new ConfigurationBuilder().AddEnvironmentVariables().AddInMemoryCollection(cli.Settings).Build();
        TwilioOptions signing;
        BasicAuthOptions basicAuth;
        try
        {
            signing = MiniCCSettings.Read<TwilioOptions>(environment);
            basicAuth = MiniCCSettings.Read<WebhookSecurityOptions>(environment).BasicAuth;
        }
        catch (OptionsValidationException ex)
        {
            await cli.Error.WriteLineAsync("minicc: " + MiniCCCommands.Explain(ex));
            return 1;
        }

        using var client = new HttpClient { BaseAddress = url, Timeout = TimeSpan.FromSeconds(15) };
        var startAt = DateTimeOffset.UtcNow;
        var twilio = new TwilioEmulator(client, new EmulatorOptions
        {
            AuthToken = signing.AuthToken,
            BasicAuthUsername = basicAuth.Username,
            BasicAuthPassword = basicAuth.Password,
            Seed = seed,
            Start = startAt,
        });
        if (trace)
        {
            twilio.Trace = line => cli.Error.WriteLine(line);
        }

        // Real time: the simulated clock follows the wall clock (times the speed-up factor).
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var summary = await Simulation.RunPacedAsync(twilio, scenario, () => startAt + (watch.Elapsed * speed), ct);
        Report(cli, summary, twilio, json, watch.Elapsed, startAt);
        return 0;
    }

    private static DateTimeOffset DefaultStart()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo");
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, zone).Date.AddHours(9);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    private static void ProgressBar(CliContext cli, double fraction)
    {
        var filled = (int)Math.Round(fraction * 30);
        cli.Error.Write($"\r[{new string('#', filled)}{new string(' ', 30 - filled)}] {fraction * 100,5:0.0}%");
        if (fraction >= 1)
        {
            cli.Error.WriteLine();
        }
    }

    private static void Report(CliContext cli, TruthSummary s, TwilioEmulator twilio, bool json, TimeSpan elapsed, DateTimeOffset start)
    {
        if (json)
        {
            cli.Out.WriteLine(JsonSerializer.Serialize(new
            {
                start,
                calls = s.CustomerCalls,
                operatorCalls = s.OperatorCalls,
                offered = s.Offered,
                answered = s.Answered,
                abandoned = s.Abandoned,
                shortAbandoned = s.ShortAbandoned,
                otherExits = s.OtherExits,
                information = s.Information,
                noInput = s.NoInput,
                applicationErrors = s.ApplicationErrors,
                averageSpeedOfAnswerSeconds = s.AverageSpeedOfAnswerSeconds,
                averageTalkSeconds = s.AverageTalkSeconds,
                longestWaitSeconds = s.LongestWaitSeconds,
                answeredWithin20Seconds = s.AnsweredWithin20Seconds,
            }));
            return;
        }

        var c = CultureInfo.InvariantCulture;
        cli.Out.WriteLine(string.Create(c, $"Simulated {s.CustomerCalls} customer calls from {start:yyyy-MM-dd HH:mm zzz} in {elapsed.TotalSeconds:0.00} s of real time."));
        cli.Out.WriteLine(string.Create(c, $"  offered (queued)         {s.Offered,8}"));
        cli.Out.WriteLine(string.Create(c, $"  answered                 {s.Answered,8}"));
        cli.Out.WriteLine(string.Create(c, $"  abandoned                {s.Abandoned,8}  (short: {s.ShortAbandoned})"));
        cli.Out.WriteLine(string.Create(c, $"  product information      {s.Information,8}"));
        cli.Out.WriteLine(string.Create(c, $"  no menu input            {s.NoInput,8}"));
        cli.Out.WriteLine(string.Create(c, $"  average speed of answer  {s.AverageSpeedOfAnswerSeconds,8} s"));
        cli.Out.WriteLine(string.Create(c, $"  average talk             {s.AverageTalkSeconds,8} s"));
        cli.Out.WriteLine(string.Create(c, $"  application errors       {s.ApplicationErrors,8}"));
        foreach (var e in twilio.ApplicationErrors.Take(10))
        {
            cli.Out.WriteLine($"    {e.At:HH:mm:ss} {e.CallSid} {e.Url}: {e.Reason}");
        }
    }
}
