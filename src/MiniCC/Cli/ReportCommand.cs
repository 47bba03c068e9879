using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MiniCC.Reports;

namespace MiniCC.Cli;

internal static class ReportCommand
{
    public static Command Create(CliContext cli)
    {
        var from = new Option<string?>("--from") { Description = "First day (yyyy-MM-dd) or start time (yyyy-MM-ddTHH:mm), in the report time zone. Default: today." };
        var to = new Option<string?>("--to") { Description = "Last day (inclusive) or end time (exclusive). Default: the --from day." };
        var interval = new Option<string>("--interval") { Description = "Interval for the per-interval rows: 15m, 30m or 60m.", DefaultValueFactory = _ => "30m" };
        var queueOption = new Option<string?>("--queue") { Description = "Only this queue (default: all queues)." };
        var format = new Option<string>("--format") { Description = "table, csv or json.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("report", "Report the queue: offered, answered, abandoned, speed of answer, service level, handle time; per interval and per operator.")
        {
            from, to, interval, queueOption, format,
        };
        command.SetAction((r, ct) => MiniCCCommands.WithServicesAsync(cli, async (services, token) =>
        {
            var query = services.GetRequiredService<ReportQuery>();
            if (!TryRange(query, r.GetValue(from), r.GetValue(to), out var start, out var end, out var problem))
            {
                await cli.Error.WriteLineAsync("minicc: " + problem);
                return 2;
            }

            if (!StaffingCommand.TryDuration(r.GetValue(interval)!, out var iv) || iv.TotalMinutes is not (15 or 30 or 60))
            {
                await cli.Error.WriteLineAsync("minicc: --interval is 15m, 30m or 60m.");
                return 2;
            }

            // The table and the CSV show no abandoned callers: only JSON lists them.
            var report = r.GetValue(format) == "json"
                ? await query.RunAsync(start, end, (int)iv.TotalMinutes, r.GetValue(queueOption), token)
                : await query.SumsAsync(start, end, (int)iv.TotalMinutes, r.GetValue(queueOption), token);
            cli.Out.Write(r.GetValue(format) switch
            {
                "json" => Json(report) + "\n",
                "csv" => Csv(report),
                _ => Table(report),
            });
            return 0;
        }, ct));
        return command;
    }

    private static bool TryRange(ReportQuery query, string? fromText, string? toText, out DateTimeOffset from, out DateTimeOffset to, out string? problem)
    {
        from = to = default;
        problem = null;
        var today = query.LocalDate(DateTimeOffset.UtcNow);
        if (!TryPoint(query, fromText, today, endOfDay: false, out from) || !TryPoint(query, toText ?? fromText, today, endOfDay: true, out to))
        {
            problem = "--from and --to are dates (2026-11-24) or local times (2026-11-24T09:00).";
            return false;
        }

        if (to <= from)
        {
            problem = "--to must be after --from.";
            return false;
        }

        return true;
    }

    private static bool TryPoint(ReportQuery query, string? text, DateOnly today, bool endOfDay, out DateTimeOffset value)
    {
        value = default;
        if (string.IsNullOrEmpty(text) || DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            var day = string.IsNullOrEmpty(text) ? today : DateOnly.ParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            value = query.LocalMidnight(endOfDay ? day.AddDays(1) : day);
            return true;
        }

        if (DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            value = new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), query.Zone.GetUtcOffset(local));
            return true;
        }

        return false;
    }

    private static string Json(Report r) => JsonSerializer.Serialize(ReportJson.Of(r));

    private static string Csv(Report r)
    {
        var sb = new StringBuilder("interval_start,offered,answered,abandoned,short_abandoned,other_exits,abandon_rate_percent,asa_seconds,service_level_percent,aht_seconds,longest_wait_seconds,erlang_c_needed,operators_signed_in\n");
        foreach (var i in r.Intervals)
        {
            var m = i.Metrics;
            sb.Append(CultureInfo.InvariantCulture, $"{i.Start:yyyy-MM-ddTHH:mmzzz},{m.Offered},{m.Answered},{m.Abandoned},{m.ShortAbandoned},{m.OtherExits},")
              .Append(CultureInfo.InvariantCulture, $"{m.AbandonRatePercent},{m.AverageSpeedOfAnswerSeconds},{m.ServiceLevelPercent},{m.AverageHandleTimeSeconds},{m.LongestWaitSeconds},{i.ErlangCAgentsNeeded},{i.OperatorsSignedIn}\n");
        }

        return sb.ToString();
    }

    private static string Table(Report r)
    {
        var t = r.Totals;
        var c = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.AppendLine(string.Create(c, $"MiniCC report {r.From:yyyy-MM-dd HH:mm} – {r.To:yyyy-MM-dd HH:mm} ({r.TimeZone})"));
        sb.AppendLine(string.Create(c, $"Offered {t.Offered}  Answered {t.Answered}  Abandoned {t.Abandoned} (short {t.ShortAbandoned})  Other exits {t.OtherExits}  Waiting now {t.StillWaiting}"));
        sb.AppendLine(string.Create(c, $"Abandon rate {t.AbandonRatePercent}%  ASA {t.AverageSpeedOfAnswerSeconds} s  Service level {t.ServiceLevelPercent}% within {r.ServiceLevelSeconds} s [{r.ServiceLevelFormula}]"));
        sb.AppendLine(string.Create(c, $"Average handle time {t.AverageHandleTimeSeconds} s  Longest wait {t.LongestWaitSeconds} s"));
        sb.AppendLine();
        sb.AppendLine("INTERVAL           OFFERED ANSWERED ABANDONED  ASA(s)  SL(%)  AHT(s) NEEDED SIGNED-IN");
        foreach (var i in r.Intervals)
        {
            var m = i.Metrics;
            sb.AppendLine(string.Create(c, $"{i.Start:yyyy-MM-dd HH:mm} {m.Offered,8} {m.Answered,8} {m.Abandoned,9} {m.AverageSpeedOfAnswerSeconds,7} {m.ServiceLevelPercent,6} {m.AverageHandleTimeSeconds,7} {i.ErlangCAgentsNeeded,6} {i.OperatorsSignedIn,9}"));
        }

        if (r.Operators.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("OPERATOR           CALLS  TALK(s)  AHT(s)  SIGNED-IN(s)");
            foreach (var o in r.Operators)
            {
                sb.AppendLine(string.Create(c, $"{o.Phone ?? "(unknown)",-18} {o.CallsTaken,5} {o.TalkSeconds,8} {o.AverageHandleSeconds,7} {o.SignedInSeconds,13}"));
            }
        }

        return sb.ToString();
    }
}
