using System.Globalization;
using Dapper;
using MiniCC.Storage;

namespace MiniCC.Reports;

/// <summary>Which calls a list shows: those that started in [From, To), whose number contains or whose CallSid starts with Search.</summary>
public sealed record CallFilter(DateTimeOffset From, DateTimeOffset To, string? Search)
{
    /// <summary>The SQL condition and its parameters (a number needs three digits, a CallSid prefix four characters).</summary>
    internal (string Where, object Parameters) Sql()
    {
        var search = (Search ?? "").Trim();
        var digits = new string(search.Where(char.IsAsciiDigit).ToArray());
        var bySid = search.StartsWith("CA", StringComparison.OrdinalIgnoreCase) && search.Length >= 4;
        var where = "c.started_at >= @from AND c.started_at < @to" +
            (bySid ? " AND c.call_sid LIKE @sidPrefix" : digits.Length >= 3 ? " AND c.from_number LIKE @numberPart" : "");
        return (where, new
        {
            from = From.ToUnixTimeMilliseconds(),
            to = To.ToUnixTimeMilliseconds(),
            // "ca12…" finds "CA12…": stored SIDs begin with an upper-case CA.
            sidPrefix = "CA" + search[Math.Min(2, search.Length)..] + "%",
            numberPart = "%" + digits + "%",
        });
    }
}

/// <summary>One call and what became of it: what the Calls page lists and a call's own page heads with.</summary>
public sealed record CallSummary
{
    public required string CallSid { get; init; }
    public string? FromNumber { get; init; }
    public string? ToNumber { get; init; }
    public required string Role { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public string? IvrChoice { get; init; }
    public string? QueueResult { get; init; }
    public long? WaitSeconds { get; init; }
    public long? TalkSeconds { get; init; }
    public string? FinalStatus { get; init; }
    public long? DurationSeconds { get; init; }
    public string? OperatorPhone { get; init; }
    public string? OperatorName { get; init; }

    /// <summary>The disposition the operator recorded (its key), or null.</summary>
    public string? Disposition { get; init; }
    public string? Note { get; init; }
    public DateTimeOffset? DispositionSetAt { get; init; }
    public string? DispositionByPhone { get; init; }
    public string? DispositionByName { get; init; }
}

/// <summary>One recorded event of a call, with the parameters that say what happened.</summary>
public sealed record CallEvent(DateTimeOffset At, string Kind, string? Digits, string? QueueResult, long? QueueTime, string? CallStatus, long? CallDuration);

/// <summary>Single calls: a page of a filtered list, one call, its timeline. Reads the calls table by its start time index.</summary>
public sealed class CallQuery(Database database)
{
    private const string Select = """
        SELECT c.call_sid AS CallSid, c.from_number AS FromNumber, c.to_number AS ToNumber, c.role AS Role, c.started_at AS StartedAt,
               c.ended_at AS EndedAt, c.ivr_choice AS IvrChoice, c.final_status AS FinalStatus, c.duration_seconds AS DurationSeconds,
               v.result AS QueueResult, v.wait_seconds AS WaitSeconds, v.talk_seconds AS TalkSeconds,
               d.phone AS OperatorPhone, d.name AS OperatorName,
               x.disposition AS Disposition, x.note AS Note, x.set_at AS DispositionSetAt, xd.phone AS DispositionByPhone, xd.name AS DispositionByName
        FROM calls c
        LEFT JOIN queue_visits v ON v.call_sid = c.call_sid
        LEFT JOIN operator_directory d ON d.id = v.operator_id
        LEFT JOIN call_dispositions x ON x.call_sid = c.call_sid
        LEFT JOIN operator_directory xd ON xd.id = x.operator_id
        """;

    /// <summary>The most calls a download holds.</summary>
    public const int MaxDownload = 100_000;

    /// <summary>How many calls match.</summary>
    public async Task<long> CountAsync(CallFilter filter, CancellationToken ct)
    {
        var (where, p) = filter.Sql();
        return await database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM calls c WHERE {where}", p, cancellationToken: ct)), ct);
    }

    /// <summary>The matching calls, newest first, <paramref name="limit"/> of them after skipping <paramref name="offset"/>.</summary>
    public async Task<IReadOnlyList<CallSummary>> ListAsync(CallFilter filter, int offset, int limit, CancellationToken ct)
    {
        var (where, p) = filter.Sql();
        var sql = string.Create(CultureInfo.InvariantCulture,
            $"{Select} WHERE {where} ORDER BY c.started_at DESC, c.call_sid DESC LIMIT {Math.Clamp(limit, 1, MaxDownload)} OFFSET {Math.Max(0, offset)}");
        var rows = await database.ReadAsync(c => c.QueryAsync(new CommandDefinition(sql, p, cancellationToken: ct)), ct);
        return rows.Select(Summary).ToList();
    }

    /// <summary>One call, or null when there is no such call.</summary>
    public async Task<CallSummary?> FindAsync(string callSid, CancellationToken ct)
    {
        var row = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync(new CommandDefinition(
            $"{Select} WHERE c.call_sid = @callSid", new { callSid }, cancellationToken: ct)), ct);
        return row is null ? null : Summary(row);
    }

    /// <summary>A call's timeline, from its recorded events, in the order they happened.</summary>
    public async Task<IReadOnlyList<CallEvent>> TimelineAsync(string callSid, CancellationToken ct)
    {
        var rows = await database.ReadAsync(c => c.QueryAsync(new CommandDefinition(
            "SELECT occurred_at AS OccurredAt, kind AS Kind, digits AS Digits, queue_result AS QueueResult, queue_time AS QueueTime, " +
            "call_status AS CallStatus, call_duration AS CallDuration FROM call_events WHERE call_sid = @callSid ORDER BY occurred_at, id",
            new { callSid }, cancellationToken: ct)), ct);
        return rows.Select(r =>
        {
            var row = ReportQuery.Columns(r);
            return new CallEvent(DateTimeOffset.FromUnixTimeMilliseconds(Long(row, "OccurredAt") ?? 0), Text(row, "Kind") ?? "",
                Text(row, "Digits"), Text(row, "QueueResult"), Long(row, "QueueTime"), Text(row, "CallStatus"), Long(row, "CallDuration"));
        }).ToList();
    }

    private static CallSummary Summary(object r)
    {
        var row = ReportQuery.Columns(r);
        return new CallSummary
        {
            CallSid = Text(row, "CallSid")!,
            FromNumber = Text(row, "FromNumber"),
            ToNumber = Text(row, "ToNumber"),
            Role = Text(row, "Role") ?? "",
            StartedAt = DateTimeOffset.FromUnixTimeMilliseconds(Long(row, "StartedAt") ?? 0),
            EndedAt = Long(row, "EndedAt") is { } ended ? DateTimeOffset.FromUnixTimeMilliseconds(ended) : null,
            IvrChoice = Text(row, "IvrChoice"),
            FinalStatus = Text(row, "FinalStatus"),
            DurationSeconds = Long(row, "DurationSeconds"),
            QueueResult = Text(row, "QueueResult"),
            WaitSeconds = Long(row, "WaitSeconds"),
            TalkSeconds = Long(row, "TalkSeconds"),
            OperatorPhone = Text(row, "OperatorPhone"),
            OperatorName = Text(row, "OperatorName"),
            Disposition = Text(row, "Disposition"),
            // A note is shown as it was written: not trimmed as the CHAR columns are.
            Note = row["Note"] is string note ? note : null,
            DispositionSetAt = Long(row, "DispositionSetAt") is { } set ? DateTimeOffset.FromUnixTimeMilliseconds(set) : null,
            DispositionByPhone = Text(row, "DispositionByPhone"),
            DispositionByName = Text(row, "DispositionByName"),
        };
    }

    private static long? Long(Dictionary<string, object?> row, string key) =>
        row[key] is null or DBNull ? null : Convert.ToInt64(row[key], CultureInfo.InvariantCulture);

    // CHAR columns come back padded on some databases.
    private static string? Text(Dictionary<string, object?> row, string key) =>
        row[key] is null or DBNull ? null : Convert.ToString(row[key], CultureInfo.InvariantCulture)?.Trim();
}
