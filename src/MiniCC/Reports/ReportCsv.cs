using System.Globalization;
using System.Text;

namespace MiniCC.Reports;

/// <summary>CSV for every table the pages show. Fields are quoted as needed and guarded against spreadsheet formulas.</summary>
public static class ReportCsv
{
    public static string Intervals(Report r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Write(["interval_start", "offered", "answered", "abandoned", "short_abandoned", "other_exits", "abandon_rate_percent",
                "asa_seconds", "service_level_percent", "aht_seconds", "longest_wait_seconds", "erlang_c_needed", "operators_signed_in"],
            r.Intervals.Select(i => new object?[]
            {
                i.Start.ToString("yyyy-MM-ddTHH:mmzzz", CultureInfo.InvariantCulture), i.Metrics.Offered, i.Metrics.Answered, i.Metrics.Abandoned,
                i.Metrics.ShortAbandoned, i.Metrics.OtherExits, i.Metrics.AbandonRatePercent, i.Metrics.AverageSpeedOfAnswerSeconds,
                i.Metrics.ServiceLevelPercent, i.Metrics.AverageHandleTimeSeconds, i.Metrics.LongestWaitSeconds, i.ErlangCAgentsNeeded, i.OperatorsSignedIn,
            }));
    }

    public static string Days(Report r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Write(["day", "offered", "answered", "abandoned", "short_abandoned", "other_exits", "abandon_rate_percent", "asa_seconds",
                "service_level_percent", "aht_seconds", "average_wait_seconds", "longest_wait_seconds"],
            r.Days.Select(d => new object?[]
            {
                d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Metrics.Offered, d.Metrics.Answered, d.Metrics.Abandoned, d.Metrics.ShortAbandoned,
                d.Metrics.OtherExits, d.Metrics.AbandonRatePercent, d.Metrics.AverageSpeedOfAnswerSeconds, d.Metrics.ServiceLevelPercent,
                d.Metrics.AverageHandleTimeSeconds, d.Metrics.AverageWaitSeconds, d.Metrics.LongestWaitSeconds,
            }));
    }

    public static string WeekdayHours(Report r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Write(["weekday", "hour", "offered", "answered", "abandoned", "service_level_percent", "asa_seconds"],
            r.WeekdayHours.Select(w => new object?[]
            {
                w.Weekday.ToString(), w.Hour, w.Metrics.Offered, w.Metrics.Answered, w.Metrics.Abandoned, w.Metrics.ServiceLevelPercent,
                w.Metrics.AverageSpeedOfAnswerSeconds,
            }));
    }

    public static string Menu(Report r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Write(["choice", "calls"],
        [
            ["1 (operator)", r.Ivr.Operator], ["2 (information)", r.Ivr.Information], ["invalid key", r.Ivr.Invalid], ["no input", r.Ivr.NoInput],
            .. r.Ivr.OwnMenuChoices.Select(c => new object[] { c.Choice, c.Calls }),
        ]);
    }

    public static string Operators(Report r, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Write(["phone", "name", "calls_taken", "talk_seconds", "average_handle_seconds", "first_call", "last_call", "signed_in_seconds",
                "ready_seconds", "on_call_seconds", "wrap_up_seconds", "break_seconds", "occupancy_percent"],
            r.Operators.Select(o => new object?[]
            {
                o.Phone, o.Name, o.CallsTaken, o.TalkSeconds, o.AverageHandleSeconds, Local(o.FirstCall, zone), Local(o.LastCall, zone), o.SignedInSeconds,
                o.States?.ReadySeconds, o.States?.OnCallSeconds, o.States?.WrapUpSeconds, o.States?.BreakSeconds, o.States?.OccupancyPercent,
            }));
    }

    public static string Abandoned(IEnumerable<AbandonedCaller> callers, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(callers);
        return Write(["entered_at", "from", "wait_seconds", "call_sid"],
            callers.Select(a => new object?[] { Local(a.EnteredAt, zone), a.FromNumber, a.WaitSeconds, a.CallSid }));
    }

    public static string Calls(IEnumerable<CallSummary> calls, TimeZoneInfo zone) =>
        Write(["started_at", "call_sid", "from", "to", "role", "ivr_choice", "queue_result", "wait_seconds", "talk_seconds", "final_status",
                "duration_seconds", "operator_phone", "disposition", "note"],
            calls.Select(c => new object?[]
            {
                Local(c.StartedAt, zone), c.CallSid, c.FromNumber, c.ToNumber, c.Role, c.IvrChoice, c.QueueResult, c.WaitSeconds, c.TalkSeconds,
                c.FinalStatus, c.DurationSeconds, c.OperatorPhone, c.Disposition, c.Note,
            }));

    /// <summary>Calls per disposition key (the keys without calls are left out).</summary>
    public static string Dispositions(Report r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return Write(["disposition", "calls"], r.Dispositions.Select(d => new object?[] { d.Key, d.Calls }));
    }

    /// <summary>The callers who did not wait, one measure a row (the voicemails' per reason).</summary>
    public static string NotWaiting(Report r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var n = r.NotWaiting;
        var c = n.Callbacks;
        object?[][] rows =
        [
            ["closed_calls", n.ClosedCalls], ["left_for_callback", n.LeftForCallback], ["left_for_voicemail", n.LeftForVoicemail],
            ["left_at_max_wait", n.LeftAtMaxWait], ["callbacks_requested", c.Requested], ["callbacks_completed", c.Completed],
            ["callbacks_open", c.Open], ["callbacks_failed", c.Failed], ["callbacks_cancelled", c.Cancelled],
            ["callback_attempts_unanswered", c.UnansweredAttempts], ["average_time_to_callback_seconds", c.AverageTimeToCallbackSeconds],
            .. n.Voicemails.SelectMany(v => new object?[][] { [$"voicemails_offered_{v.Reason}", v.Offered], [$"voicemail_messages_{v.Reason}", v.Messages] }),
        ];
        return Write(["measure", "value"], rows);
    }

    /// <summary>Callbacks as the Callbacks page lists them; the times in the report zone, the status and results as stored.</summary>
    public static string Callbacks(IEnumerable<MiniCC.Callbacks.CallbackRow> callbacks, TimeZoneInfo zone) =>
        Write(["asked_at", "number", "place_at", "status", "attempts", "last_result", "last_attempt_at", "operator_phone", "operator_name",
                "completed_at", "time_to_callback_seconds", "handled_at", "handled_by", "call_sid"],
            callbacks.Select(b => new object?[]
            {
                Local(At(b.CreatedAt), zone), b.Number, Local(At(b.RequestedAt), zone), b.Status, b.Attempts, b.LastResult, Local(At(b.LastAttemptAt), zone),
                b.OperatorPhone, b.OperatorName, Local(At(b.CompletedAt), zone), b.SecondsToCallback, Local(At(b.HandledAt), zone), b.HandledBy, b.CallSid,
            }));

    private static DateTimeOffset? At(long? ms) => ms is { } v ? DateTimeOffset.FromUnixTimeMilliseconds(v) : null;

    internal static string? Local(DateTimeOffset? t, TimeZoneInfo zone) =>
        t is { } v ? TimeZoneInfo.ConvertTime(v, zone).ToString("yyyy-MM-ddTHH:mm:sszzz", CultureInfo.InvariantCulture) : null;

    internal static string Write(string[] header, IEnumerable<object?[]> rows)
    {
        var sb = new StringBuilder();
        sb.AppendJoin(',', header).Append("\r\n");
        foreach (var row in rows)
        {
            sb.AppendJoin(',', row.Select(Field)).Append("\r\n");
        }

        return sb.ToString();
    }

    private static string Field(object? value)
    {
        var s = value switch
        {
            null => "",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value.ToString() ?? "",
        };

        // A text starting with = + - @ | (or Excel's full-width ＝ ＋ － ＠, which it reads as the same) would be run
        // as a formula or a DDE command by spreadsheets; numbers are left alone.
        if (value is string && s.Length > 0 && s[0] is '=' or '+' or '-' or '@' or '|' or '\t' or '\r' or '\uFF1D' or '\uFF0B' or '\uFF0D' or '\uFF20')
        {
            s = "'" + s;
        }

        return s.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + s.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : s;
    }
}
