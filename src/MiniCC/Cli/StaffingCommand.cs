using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using MiniCC.Reports;

namespace MiniCC.Cli;

internal static class StaffingCommand
{
    public static Command Create(CliContext cli)
    {
        var calls = new Option<double>("--calls") { Description = "Calls expected in the interval.", Required = true };
        var interval = new Option<string>("--interval") { Description = "The interval: 15m, 30m, 1h …", DefaultValueFactory = _ => "30m" };
        var aht = new Option<string>("--aht") { Description = "Average handle time: 180s, 3m …", Required = true };
        var within = new Option<string>("--answer-within") { Description = "Service-level answer time: 20s …", DefaultValueFactory = _ => "20s" };
        var target = new Option<double>("--target") { Description = "Service-level target, percent (80 = 80% answered within the time).", DefaultValueFactory = _ => 80 };
        var shrinkage = new Option<double>("--shrinkage") { Description = "Shrinkage, percent (breaks, training, absence): scheduled = agents / (1 - shrinkage).", DefaultValueFactory = _ => 0 };
        var json = new Option<bool>("--json") { Description = "Print JSON (fractions as 0-1)." };
        var command = new Command("staffing", "Erlang C: how many operators a service-level target needs, and what they will achieve.")
        {
            calls, interval, aht, within, target, shrinkage, json,
        };
        command.SetAction(r =>
        {
            if (!TryDuration(r.GetValue(interval)!, out var iv) || !TryDuration(r.GetValue(aht)!, out var ahtSpan) ||
                !TryDuration(r.GetValue(within)!, out var withinSpan))
            {
                cli.Error.WriteLine("minicc: durations are a number and a unit: 30m, 180s, 1h.");
                return 2;
            }

            StaffingResult result;
            try
            {
                result = ErlangC.Required(r.GetValue(calls), iv, ahtSpan.TotalSeconds, withinSpan.TotalSeconds,
                    r.GetValue(target) / 100, r.GetValue(shrinkage) / 100);
            }
            catch (ArgumentOutOfRangeException ex)
            {
                cli.Error.WriteLine("minicc: " + ex.Message.Split(" (Parameter")[0]);
                return 2;
            }

            if (r.GetValue(json))
            {
                cli.Out.WriteLine(JsonSerializer.Serialize(new
                {
                    agents = result.Agents,
                    scheduled = result.Scheduled,
                    trafficErlangs = Math.Round(result.TrafficErlangs, 4),
                    serviceLevel = Math.Round(result.ServiceLevel, 4),
                    probabilityOfWaiting = Math.Round(result.ProbabilityOfWaiting, 4),
                    averageSpeedOfAnswerSeconds = Math.Round(result.AverageSpeedOfAnswerSeconds, 2),
                    occupancy = Math.Round(result.Occupancy, 4),
                }));
                return 0;
            }

            var c = CultureInfo.InvariantCulture;
            cli.Out.WriteLine(string.Create(c, $"Traffic:                 {result.TrafficErlangs:0.00} Erlangs"));
            cli.Out.WriteLine(string.Create(c, $"Operators needed:        {result.Agents}"));
            cli.Out.WriteLine(string.Create(c, $"Scheduled (shrinkage):   {result.Scheduled}"));
            cli.Out.WriteLine(string.Create(c, $"Service level:           {result.ServiceLevel * 100:0.0}% answered within {withinSpan.TotalSeconds:0} s"));
            cli.Out.WriteLine(string.Create(c, $"Probability of waiting:  {result.ProbabilityOfWaiting * 100:0.0}%"));
            cli.Out.WriteLine(string.Create(c, $"Average speed of answer: {result.AverageSpeedOfAnswerSeconds:0.0} s"));
            cli.Out.WriteLine(string.Create(c, $"Occupancy:               {result.Occupancy * 100:0.0}%"));
            return 0;
        });
        return command;
    }

    /// <summary>"30m", "180s", "1h", "1.5h"; a bare number is seconds.</summary>
    internal static bool TryDuration(string text, out TimeSpan value)
    {
        value = default;
        text = text.Trim().ToLowerInvariant();
        var unit = text.Length > 0 && char.IsLetter(text[^1]) ? text[^1] : 's';
        var number = char.IsLetter(text.LastOrDefault()) ? text[..^1] : text;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0 || double.IsInfinity(n))
        {
            return false;
        }

        value = unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            _ => TimeSpan.MinValue,
        };
        return value != TimeSpan.MinValue;
    }
}
