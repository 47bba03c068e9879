using Dapper;
using MiniCC.Reports;
using MiniCC.Storage;

namespace MiniCC.Desk;

/// <summary>A call of the same number before this one.</summary>
public sealed record PreviousCall(string CallSid, DateTimeOffset StartedAt, string? Result, string? IvrChoice, string? Disposition, string? Note);

/// <summary>
/// What the desk shows when a caller is connected: who, what they chose in the menu, how long they waited, whether they
/// gave up earlier today, and their previous calls (newest first, at most <see cref="ScreenPopQuery.MaxPrevious"/>).
/// </summary>
public sealed record ScreenPop(
    string CallSid, string? From, string? IvrChoice, long? WaitSeconds, DateTimeOffset AnsweredAt, bool Ended,
    int AbandonedToday, IReadOnlyList<PreviousCall> Previous, string? Disposition = null, string? Note = null);

/// <summary>
/// A callback the operator's call is dialing (and, while it lasts, talking on): whom, when they asked, which attempt, and
/// the number's previous calls.
/// </summary>
public sealed record DeskCallback(long Id, string Number, DateTimeOffset AskedAt, DateTimeOffset PlaceAt, int Attempt, IReadOnlyList<PreviousCall> Previous);

/// <summary>Reads a screen pop: the visit an operator's call picked up, and the caller's history by their number.</summary>
public sealed class ScreenPopQuery(Database database, ReportQuery reports, TimeProvider time)
{
    public const int MaxPrevious = 10;

    private sealed record VisitRow
    {
        public string CallSid { get; init; } = "";
        public string? FromNumber { get; init; }
        public string? IvrChoice { get; init; }
        public long? WaitSeconds { get; init; }
        public long AnsweredAt { get; init; }
        public long? ExitedAt { get; init; }
        public string? Disposition { get; init; }
        public string? Note { get; init; }
    }

    private sealed record PreviousRow
    {
        public string CallSid { get; init; } = "";
        public long StartedAt { get; init; }
        public string? Result { get; init; }
        public string? FinalStatus { get; init; }
        public string? IvrChoice { get; init; }
        public string? Disposition { get; init; }
        public string? Note { get; init; }
    }

    /// <summary>The caller the operator's call <paramref name="legCallSid"/> picked up last; null when none.</summary>
    public async Task<ScreenPop?> ForAsync(string legCallSid, CancellationToken ct)
    {
        var visit = await database.ReadAsync(c => c.QueryFirstOrDefaultAsync<VisitRow>(new CommandDefinition("""
            SELECT v.call_sid AS CallSid, v.from_number AS FromNumber, c.ivr_choice AS IvrChoice, v.wait_seconds AS WaitSeconds,
                   v.answered_at AS AnsweredAt, v.exited_at AS ExitedAt, d.disposition AS Disposition, d.note AS Note
            FROM queue_visits v LEFT JOIN calls c ON c.call_sid = v.call_sid LEFT JOIN call_dispositions d ON d.call_sid = v.call_sid
            WHERE v.operator_call_sid = @legCallSid AND v.answered_at IS NOT NULL
            ORDER BY v.answered_at DESC LIMIT 1
            """, new { legCallSid }, cancellationToken: ct)), ct);
        if (visit is null)
        {
            return null;
        }

        var callSid = visit.CallSid.Trim();
        var midnight = reports.LocalMidnight(reports.LocalDate(time.GetUtcNow())).ToUnixTimeMilliseconds();
        var (abandoned, previous) = visit.FromNumber is not { Length: > 0 } from ? (0L, [])
            : await database.ReadAsync(async c =>
            {
                var count = await c.ExecuteScalarAsync<long>(new CommandDefinition("""
                    SELECT COUNT(*) FROM queue_visits
                    WHERE from_number = @from AND entered_at >= @midnight AND answered_at IS NULL AND result = 'hangup' AND call_sid <> @callSid
                    """, new { from, midnight, callSid }, cancellationToken: ct));
                return (count, await PreviousAsync(c, from, callSid, ct));
            }, ct);
        return new ScreenPop(callSid, visit.FromNumber, visit.IvrChoice, visit.WaitSeconds, DateTimeOffset.FromUnixTimeMilliseconds(visit.AnsweredAt),
            visit.ExitedAt is not null, (int)abandoned, previous, visit.Disposition, visit.Note);
    }

    private sealed record CallbackRow
    {
        public long Id { get; init; }
        public string Number { get; init; } = "";
        public long CreatedAt { get; init; }
        public long RequestedAt { get; init; }
        public long Attempts { get; init; }
    }

    /// <summary>Callback <paramref name="id"/> as the desk shows it while it is dialed, with every earlier call of its number; null when there is none.</summary>
    public Task<DeskCallback?> CallbackAsync(long id, CancellationToken ct) =>
        database.ReadAsync(async c =>
        {
            var row = await c.QueryFirstOrDefaultAsync<CallbackRow>(new CommandDefinition(
                "SELECT id AS Id, number AS Number, created_at AS CreatedAt, requested_at AS RequestedAt, attempts AS Attempts FROM callbacks WHERE id = @id",
                new { id }, cancellationToken: ct));
            return row is null ? null : new DeskCallback(row.Id, row.Number, DateTimeOffset.FromUnixTimeMilliseconds(row.CreatedAt),
                DateTimeOffset.FromUnixTimeMilliseconds(row.RequestedAt), (int)row.Attempts, await PreviousAsync(c, row.Number, "", ct));
        }, ct);

    /// <summary>The customer calls from <paramref name="from"/> but <paramref name="callSid"/>, newest first.</summary>
    private static async Task<IReadOnlyList<PreviousCall>> PreviousAsync(System.Data.Common.DbConnection c, string from, string callSid, CancellationToken ct)
    {
        var rows = await c.QueryAsync<PreviousRow>(new CommandDefinition($"""
            SELECT c.call_sid AS CallSid, c.started_at AS StartedAt, c.final_status AS FinalStatus, c.ivr_choice AS IvrChoice,
                   (SELECT v.result FROM queue_visits v WHERE v.call_sid = c.call_sid ORDER BY v.entered_at DESC LIMIT 1) AS Result,
                   d.disposition AS Disposition, d.note AS Note
            FROM calls c LEFT JOIN call_dispositions d ON d.call_sid = c.call_sid
            WHERE c.from_number = @from AND c.call_sid <> @callSid AND c.role = 'customer'
            ORDER BY c.started_at DESC LIMIT {MaxPrevious}
            """, new { from, callSid }, cancellationToken: ct));
        return [.. rows.Select(p => new PreviousCall(p.CallSid.Trim(), DateTimeOffset.FromUnixTimeMilliseconds(p.StartedAt), p.Result ?? p.FinalStatus,
            p.IvrChoice, p.Disposition, p.Note))];
    }
}
