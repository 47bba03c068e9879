using Dapper;
using MiniCC.Storage;

namespace MiniCC.Voicemail;

/// <summary>One message as <c>voicemails</c> keeps it (times in UTC Unix milliseconds).</summary>
public sealed record VoicemailRow
{
    public required string CallSid { get; init; }
    public string? FromNumber { get; init; }

    /// <summary>One of <see cref="VoicemailReasons.All"/>; null while only the status callback is stored.</summary>
    public string? Reason { get; init; }

    public long RecordedAt { get; init; }
    public string? RecordingSid { get; init; }
    public string? RecordingUrl { get; init; }
    public long? DurationSeconds { get; init; }

    /// <summary>One of <see cref="VoicemailStatuses"/>.</summary>
    public required string Status { get; init; }

    public long? HandledAt { get; init; }
    public string? HandledBy { get; init; }

    /// <summary>Whether there is something to play: a URL that Twilio has not said is empty or failed.</summary>
    public bool Playable => RecordingUrl is not null && Status is not (VoicemailStatuses.Absent or VoicemailStatuses.Failed);
}

/// <summary>What became of marking a voicemail handled.</summary>
public enum HandledMark
{
    Marked,

    /// <summary>Someone marked it before: their name and time are kept.</summary>
    AlreadyHandled,

    UnknownVoicemail,
}

/// <summary>The voicemails the webhooks derived (<see cref="VoicemailRows"/>), for the page, the CSV and the audio.</summary>
public sealed class VoicemailStore(Database database, TimeProvider time)
{
    /// <summary>The page lists this many, newest first; the CSV lists up to <see cref="MaxDownload"/>.</summary>
    public const int PageSize = 200;

    public const int MaxDownload = 100_000;

    private const string Columns =
        "call_sid AS CallSid, from_number AS FromNumber, reason AS Reason, recorded_at AS RecordedAt, recording_sid AS RecordingSid, " +
        "recording_url AS RecordingUrl, duration_seconds AS DurationSeconds, status AS Status, handled_at AS HandledAt, handled_by AS HandledBy";

    /// <summary>The newest <paramref name="limit"/> voicemails, newest first (through the index on recorded_at).</summary>
    public Task<IReadOnlyList<VoicemailRow>> NewestAsync(int limit, CancellationToken ct) =>
        database.ReadAsync(async c => (IReadOnlyList<VoicemailRow>)[.. await c.QueryAsync<VoicemailRow>(new CommandDefinition(
            $"SELECT {Columns} FROM voicemails ORDER BY recorded_at DESC, call_sid DESC LIMIT @limit", new { limit }, cancellationToken: ct))], ct);

    public Task<long> CountAsync(CancellationToken ct) =>
        database.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM voicemails", cancellationToken: ct)), ct);

    public Task<VoicemailRow?> FindAsync(string callSid, CancellationToken ct) =>
        database.ReadAsync(c => c.QuerySingleOrDefaultAsync<VoicemailRow>(new CommandDefinition(
            $"SELECT {Columns} FROM voicemails WHERE call_sid = @callSid", new { callSid }, cancellationToken: ct)), ct);

    /// <summary>Marks the voicemail handled by <paramref name="username"/> now; the first mark is kept (who dealt with it first, and when).</summary>
    public Task<HandledMark> MarkHandledAsync(string callSid, string username, CancellationToken ct) =>
        database.WriteAsync(async (c, tx) =>
        {
            var marked = await c.ExecuteAsync(new CommandDefinition(
                "UPDATE voicemails SET handled_at = @now, handled_by = @username WHERE call_sid = @callSid AND handled_at IS NULL",
                new { now = time.GetUtcNow().ToUnixTimeMilliseconds(), username, callSid }, tx, cancellationToken: ct));
            if (marked > 0)
            {
                return HandledMark.Marked;
            }

            var known = await c.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM voicemails WHERE call_sid = @callSid", new { callSid }, tx, cancellationToken: ct));
            return known == 0 ? HandledMark.UnknownVoicemail : HandledMark.AlreadyHandled;
        }, ct);
}
