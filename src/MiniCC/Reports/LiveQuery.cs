using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Storage;

namespace MiniCC.Reports;

public sealed record CallSummary
{
    public required string CallSid { get; init; }
    public string? FromNumber { get; init; }
    public string? ToNumber { get; init; }
    public required string Role { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public string? IvrChoice { get; init; }
    public string? QueueResult { get; init; }
    public long? WaitSeconds { get; init; }
    public long? TalkSeconds { get; init; }
    public string? FinalStatus { get; init; }
    public long? DurationSeconds { get; init; }
}

public sealed record CallEvent(DateTimeOffset At, string Kind, string? Detail);

/// <summary>
/// What is happening now (the wallboard) and single calls (search, timeline). The wallboard reads only
/// open rows through their indexes and today's visits; it never scans the history.
/// </summary>
public sealed partial class LiveQuery(Database database, ReportQuery reports, IOptions<ReportOptions> options, TimeProvider time)
{
    /// <summary>The latest calls whose number contains <paramref name="search"/> (digits) or whose CallSid starts with it.</summary>
    public async Task<IReadOnlyList<CallSummary>> SearchAsync(string? search, int limit, CancellationToken ct)
    {
        search = (search ?? "").Trim();
        var digits = new string(search.Where(char.IsAsciiDigit).ToArray());
        var bySid = search.StartsWith("CA", StringComparison.OrdinalIgnoreCase) && search.Length >= 4;
        var where = bySid ? "c.call_sid LIKE @sidPrefix" : digits.Length >= 3 ? "c.from_number LIKE @numberPart" : "1 = 1";
        var rows = await database.ReadAsync(c => c.QueryAsync(new CommandDefinition(
            $"""
            SELECT c.call_sid AS CallSid, c.from_number AS FromNumber, c.to_number AS ToNumber, c.role AS Role, c.started_at AS StartedAt,
                   c.ivr_choice AS IvrChoice, c.final_status AS FinalStatus, c.duration_seconds AS DurationSeconds,
                   v.result AS QueueResult, v.wait_seconds AS WaitSeconds, v.talk_seconds AS TalkSeconds
            FROM calls c LEFT JOIN queue_visits v ON v.call_sid = c.call_sid
            WHERE {where}
            ORDER BY c.started_at DESC
            LIMIT {Math.Clamp(limit, 1, 500)}
            """, new { sidPrefix = search + "%", numberPart = "%" + digits + "%" }, cancellationToken: ct)), ct);
        return rows.Select(r =>
        {
            var row = ReportQuery.Columns(r);
            long? L(string k) => row[k] is null or DBNull ? null : Convert.ToInt64(row[k], System.Globalization.CultureInfo.InvariantCulture);
            string? S(string k) => row[k] is null or DBNull ? null : Convert.ToString(row[k], System.Globalization.CultureInfo.InvariantCulture)?.Trim();
            return new CallSummary
            {
                CallSid = S("CallSid")!,
                FromNumber = S("FromNumber"),
                ToNumber = S("ToNumber"),
                Role = S("Role") ?? "",
                StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(L("StartedAt") ?? 0),
                IvrChoice = S("IvrChoice"),
                FinalStatus = S("FinalStatus"),
                DurationSeconds = L("DurationSeconds"),
                QueueResult = S("QueueResult"),
                WaitSeconds = L("WaitSeconds"),
                TalkSeconds = L("TalkSeconds"),
            };
        }).ToList();
    }

    /// <summary>A call's timeline, from its recorded events.</summary>
    public async Task<IReadOnlyList<CallEvent>> TimelineAsync(string callSid, CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync(new CommandDefinition(
            "SELECT occurred_at AS OccurredAt, kind AS Kind, digits AS Digits, queue_result AS QueueResult, queue_time AS QueueTime, " +
            "call_status AS CallStatus, call_duration AS CallDuration FROM call_events WHERE call_sid = @callSid ORDER BY occurred_at, id",
            new { callSid }, cancellationToken: ct)), ct);
        return rows.Select(r =>
        {
            var row = ReportQuery.Columns(r);
            string? S(string k) => row[k] is null or DBNull ? null : Convert.ToString(row[k], System.Globalization.CultureInfo.InvariantCulture)?.Trim();
            var kind = S("Kind") ?? "";
            var detail = kind switch
            {
                "ivr" => "Digits=" + S("Digits"),
                "pickup" => "QueueTime=" + S("QueueTime"),
                "queue_exit" => $"QueueResult={S("QueueResult")} QueueTime={S("QueueTime")}",
                "call_end" => $"CallStatus={S("CallStatus")} CallDuration={S("CallDuration")}",
                _ => S("CallStatus") is { } status ? "CallStatus=" + status : null,
            };
            return new CallEvent(DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(row["OccurredAt"], System.Globalization.CultureInfo.InvariantCulture)), kind, detail);
        }).ToList();
    }
}
