using System.Globalization;
using Dapper;
using MiniCC.Storage;

namespace MiniCC.Callbacks;

/// <summary>One callback as people read it: whom, when asked, its place, what became of it and who dialed it last.</summary>
public sealed record CallbackRow
{
    public long Id { get; init; }
    public string CallSid { get; init; } = "";
    public string Number { get; init; } = "";
    public long CreatedAt { get; init; }
    public long RequestedAt { get; init; }
    public string Status { get; init; } = "";
    public long Attempts { get; init; }
    public string? LastResult { get; init; }
    public long? LastAttemptAt { get; init; }
    public long? CompletedAt { get; init; }
    public long? HandledAt { get; init; }
    public string? HandledBy { get; init; }
    public string? OperatorPhone { get; init; }
    public string? OperatorName { get; init; }

    /// <summary>Listed for a person: its attempts are used up and nobody has said they dealt with it.</summary>
    public bool ForAPerson => Status == "failed" && HandledAt is null;

    /// <summary>From the caller's place in line to the answered callback; null unless it was completed.</summary>
    public double? SecondsToCallback => Status == "completed" && CompletedAt is { } done ? (done - RequestedAt) / 1000.0 : null;
}

/// <summary>What marking a callback handled came to.</summary>
public enum HandledOutcome
{
    Marked,
    AlreadyHandled,
    NotFailed,
    NotFound,
}

/// <summary>
/// The callbacks page's reads and its one write (a person saying they dealt with a failed callback). Reads only
/// <c>callbacks</c> by its created_at index, and the last attempt of each for who dialed it.
/// </summary>
public sealed class CallbackList(Database database)
{
    /// <summary>The most callbacks one page lists; the CSV holds up to <see cref="MaxDownload"/>.</summary>
    public const int MaxShown = 500;

    public const int MaxDownload = 100_000;

    private const string Select = """
        SELECT b.id AS Id, b.call_sid AS CallSid, b.number AS Number, b.created_at AS CreatedAt, b.requested_at AS RequestedAt,
               b.status AS Status, b.attempts AS Attempts, b.last_result AS LastResult, b.last_attempt_at AS LastAttemptAt,
               b.completed_at AS CompletedAt, b.handled_at AS HandledAt, b.handled_by AS HandledBy,
               d.phone AS OperatorPhone, d.name AS OperatorName
        FROM callbacks b
        LEFT JOIN callback_attempts a ON a.callback_id = b.id AND a.attempt = b.attempts
        LEFT JOIN operator_directory d ON d.id = a.operator_id
        """;

    /// <summary>The callbacks asked for in [<paramref name="from"/>, <paramref name="to"/>), newest first, at most <paramref name="limit"/>.</summary>
    public Task<List<CallbackRow>> InRangeAsync(DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken ct) =>
        database.ReadAsync(async c => (await c.QueryAsync<CallbackRow>(new CommandDefinition(
            $"{Select} WHERE b.created_at >= @from AND b.created_at < @to ORDER BY b.created_at DESC, b.id DESC LIMIT {Limit(limit)}",
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() }, cancellationToken: ct))).ToList(), ct);

    /// <summary>How many callbacks were asked for in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public Task<long> CountAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM callbacks WHERE created_at >= @from AND created_at < @to",
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() }, cancellationToken: ct)), ct);

    /// <summary>
    /// Every failed callback nobody has handled yet, whenever it was asked for (a person's to-do list does not end with
    /// the day), newest first.
    /// </summary>
    public Task<List<CallbackRow>> ForAPersonAsync(CancellationToken ct) =>
        database.ReadAsync(async c => (await c.QueryAsync<CallbackRow>(new CommandDefinition(
            $"{Select} WHERE b.status = 'failed' AND b.handled_at IS NULL ORDER BY b.created_at DESC, b.id DESC LIMIT {MaxShown}",
            cancellationToken: ct))).ToList(), ct);

    /// <summary>
    /// <paramref name="user"/> dealt with failed callback <paramref name="id"/>. Only a failed one can be handled (the
    /// others are MiniCC's to dial, or done); the first person to mark it is the one recorded.
    /// </summary>
    public Task<HandledOutcome> MarkHandledAsync(long id, string user, long now, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) =>
        {
            var marked = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE callbacks SET handled_at = @now, handled_by = @user WHERE id = @id AND status = 'failed' AND handled_at IS NULL",
                new { now, user, id }, tx, cancellationToken: ct));
            if (marked == 1)
            {
                return HandledOutcome.Marked;
            }

            // Not marked: a failed callback that was not marked had been handled already.
            var status = await c.QueryFirstOrDefaultAsync<string?>(new CommandDefinition(
                "SELECT status FROM callbacks WHERE id = @id", new { id }, tx, cancellationToken: ct));
            return status switch
            {
                null => HandledOutcome.NotFound,
                "failed" => HandledOutcome.AlreadyHandled,
                _ => HandledOutcome.NotFailed,
            };
        }, ct);

    private static string Limit(int limit) => Math.Clamp(limit, 1, MaxDownload).ToString(CultureInfo.InvariantCulture);
}
