namespace MiniCC.Reports;

/// <summary>
/// The report's sums, written once: a report runs them over the history where the rollups do not hold them, and a
/// refresh stores their results in the rollups. Each is (rollup column, how the history sums it, how rollup rows add
/// up); the aliases are the names of <see cref="QueueCounts"/>' properties.
/// </summary>
internal static class RollupSql
{
    /// <summary>Of queue visits. <c>@shortAbandon</c> and <c>@within</c> are the thresholds (MiniCC:Reports).</summary>
    public static readonly (string Column, string Alias, string History, string Combine)[] Queue =
    [
        ("offered", "Offered", "COUNT(*)", "SUM"),
        ("answered", "Answered", "SUM(CASE WHEN answered_at IS NOT NULL THEN 1 ELSE 0 END)", "SUM"),
        ("abandoned", "Abandoned", "SUM(CASE WHEN answered_at IS NULL AND result = 'hangup' THEN 1 ELSE 0 END)", "SUM"),
        ("short_abandoned", "ShortAbandoned", "SUM(CASE WHEN answered_at IS NULL AND result = 'hangup' AND wait_seconds < @shortAbandon THEN 1 ELSE 0 END)", "SUM"),
        ("other_exits", "OtherExits", "SUM(CASE WHEN answered_at IS NULL AND result IS NOT NULL AND result <> 'hangup' THEN 1 ELSE 0 END)", "SUM"),
        ("still_waiting", "StillWaiting", "SUM(CASE WHEN answered_at IS NULL AND result IS NULL THEN 1 ELSE 0 END)", "SUM"),
        ("answered_wait_sum", "AnsweredWaitSum", "SUM(CASE WHEN answered_at IS NOT NULL THEN COALESCE(wait_seconds, 0) ELSE 0 END)", "SUM"),
        ("answered_within", "AnsweredWithin", "SUM(CASE WHEN answered_at IS NOT NULL AND wait_seconds <= @within THEN 1 ELSE 0 END)", "SUM"),
        ("abandoned_within", "AbandonedWithin", "SUM(CASE WHEN answered_at IS NULL AND result = 'hangup' AND wait_seconds <= @within THEN 1 ELSE 0 END)", "SUM"),
        ("talk_sum", "TalkSum", "SUM(COALESCE(talk_seconds, 0))", "SUM"),
        ("talk_count", "TalkCount", "SUM(CASE WHEN talk_seconds IS NOT NULL THEN 1 ELSE 0 END)", "SUM"),
        ("max_wait", "MaxWait", "COALESCE(MAX(wait_seconds), 0)", "MAX"),
        ("wait_sum", "WaitSum", "SUM(COALESCE(wait_seconds, 0))", "SUM"),
        ("wait_count", "WaitCount", "SUM(CASE WHEN wait_seconds IS NOT NULL THEN 1 ELSE 0 END)", "SUM"),
    ];

    /// <summary>Of answered queue visits, per operator (0 when the operator is not known).</summary>
    public static readonly (string Column, string Alias, string History, string Combine)[] Operators =
    [
        ("calls", "CallsTaken", "COUNT(*)", "SUM"),
        ("talk_sum", "TalkSum", "SUM(COALESCE(talk_seconds, 0))", "SUM"),
        ("talk_count", "TalkCount", "SUM(CASE WHEN talk_seconds IS NOT NULL THEN 1 ELSE 0 END)", "SUM"),
        ("first_call", "FirstCall", "MIN(answered_at)", "MIN"),
        ("last_call", "LastCall", "MAX(answered_at)", "MAX"),
    ];

    /// <summary>Of customers' calls, by their (last) menu choice.</summary>
    public static readonly (string Column, string Alias, string History, string Combine)[] Ivr =
    [
        ("calls", "Calls", "COUNT(*)", "SUM"),
        ("chose_operator", "ChoseOperator", "SUM(CASE WHEN ivr_choice = 'operator' THEN 1 ELSE 0 END)", "SUM"),
        ("information", "Information", "SUM(CASE WHEN ivr_choice = 'information' THEN 1 ELSE 0 END)", "SUM"),
        ("invalid", "Invalid", "SUM(CASE WHEN ivr_choice = 'invalid' THEN 1 ELSE 0 END)", "SUM"),
        ("no_input", "NoInput", "SUM(CASE WHEN ivr_choice = 'no-input' THEN 1 ELSE 0 END)", "SUM"),
    ];

    /// <summary>The history's sums, named by their aliases: <c>COUNT(*) AS Offered, …</c>.</summary>
    public static string FromHistory(this (string Column, string Alias, string History, string Combine)[] sums) =>
        string.Join(", ", sums.Select(s => $"{s.History} AS {s.Alias}"));

    /// <summary>The history's sums in the order of the rollup's columns, for an INSERT … SELECT.</summary>
    public static string Stored(this (string Column, string Alias, string History, string Combine)[] sums) =>
        string.Join(", ", sums.Select(s => s.History));

    /// <summary>The rollup's columns: <c>offered, answered, …</c>.</summary>
    public static string Columns(this (string Column, string Alias, string History, string Combine)[] sums) =>
        string.Join(", ", sums.Select(s => s.Column));

    /// <summary>The rollup's columns named by their aliases: <c>offered AS Offered, …</c>.</summary>
    public static string Aliased(this (string Column, string Alias, string History, string Combine)[] sums) =>
        string.Join(", ", sums.Select(s => $"{s.Column} AS {s.Alias}"));

    /// <summary>Rollup rows added up, named by their aliases: <c>SUM(offered) AS Offered, …</c>.</summary>
    public static string Combined(this (string Column, string Alias, string History, string Combine)[] sums) =>
        string.Join(", ", sums.Select(s => $"{s.Combine}({s.Column}) AS {s.Alias}"));

    /// <summary>Rollup rows added up in the order of the rollup's columns (a day from its hours).</summary>
    public static string CombinedColumns(this (string Column, string Alias, string History, string Combine)[] sums) =>
        string.Join(", ", sums.Select(s => $"{s.Combine}({s.Column})"));
}
