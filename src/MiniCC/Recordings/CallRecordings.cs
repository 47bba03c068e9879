using Dapper;
using Microsoft.Extensions.Options;
using MiniCC.Settings;
using MiniCC.Storage;
using MiniCC.Twilio.Webhooks;
using MiniCC.Voicemail;

namespace MiniCC.Recordings;

/// <summary>The <c>MiniCC:Recordings</c> section: how long the recordings of conversations are listed.</summary>
public sealed class RecordingOptions
{
    public const string Section = "MiniCC:Recordings";

    /// <summary>Days after a conversation during which its recording is listed and played; after that MiniCC no longer offers it (Twilio keeps the file until you delete it there).</summary>
    public int RetentionDays { get; set; } = 90;
}

internal sealed class RecordingOptionsValidator : IValidateOptions<RecordingOptions>
{
    public ValidateOptionsResult Validate(string? name, RecordingOptions o)
    {
        var p = new SettingProblems(RecordingOptions.Section);
        p.Range(nameof(o.RetentionDays), o.RetentionDays, 1, 3650, "ten years");
        return p.Result;
    }
}

/// <summary>A recording of a conversation, as the call's page lists it.</summary>
public sealed record CallRecording
{
    // Properties, not a constructor: the databases give the integer columns as 32 or 64 bits, which Dapper converts.
    public string RecordingSid { get; init; } = "";
    public long StartedAt { get; init; }
    public long? DurationSeconds { get; init; }
    public long? Channels { get; init; }
    public string Status { get; init; } = "";
    public string? RecordingUrl { get; init; }

    /// <summary>There is a file to play.</summary>
    public bool Playable => Status == "completed" && RecordingUrl is not null;
}

/// <summary>The recordings of conversations (<c>call_recordings</c>, schema 18) within <see cref="RecordingOptions.RetentionDays"/>, and their audio.</summary>
public sealed class CallRecordings(Database database, IOptions<RecordingOptions> options, TimeProvider time)
{
    private long Since => time.GetUtcNow().AddDays(-options.Value.RetentionDays).ToUnixTimeMilliseconds();

    /// <summary>The recordings of <paramref name="callSid"/> still listed, oldest first.</summary>
    public async Task<IReadOnlyList<CallRecording>> OfCallAsync(string callSid, CancellationToken ct) =>
        [.. await database.ReadAsync(c => c.QueryAsync<CallRecording>(new CommandDefinition("""
            SELECT recording_sid AS RecordingSid, started_at AS StartedAt, duration_seconds AS DurationSeconds, channels AS Channels,
                   status AS Status, recording_url AS RecordingUrl
            FROM call_recordings WHERE call_sid = @callSid AND started_at >= @since ORDER BY started_at
            """, new { callSid, since = Since }, cancellationToken: ct)), ct)];

    /// <summary>The audio's URL on MiniCC (what the page's player reads).</summary>
    public static string AudioUrl(string callSid, string recordingSid) =>
        Pages.PageRoutes.CallRecordingAudio.Replace("{CallSid}", callSid, StringComparison.Ordinal).Replace("{RecordingSid}", recordingSid, StringComparison.Ordinal);

    public static IEndpointRouteBuilder MapCallRecordings(IEndpointRouteBuilder app)
    {
        // The player's source: the recording streamed through MiniCC (with the account's credentials), as for voicemail.
        app.MapGroup("").RequireAuthorization().MapGet(Pages.PageRoutes.CallRecordingAudio, async (string callSid, string recordingSid, HttpRequest http,
            CallRecordings recordings, VoicemailMedia media, Pages.DashText text, CancellationToken ct) =>
            Sid.IsValid(callSid, "CA") && Sid.IsValid(recordingSid, "RE")
                && (await recordings.OfCallAsync(callSid, ct)).FirstOrDefault(r => r.RecordingSid == recordingSid) is { Playable: true } recording
                ? await media.StreamAsync(callSid, recording.RecordingUrl!, http.Headers.Range.Count == 1 ? http.Headers.Range.ToString() : null, ct)
                : Results.Text(text.NothingToPlay, "text/plain; charset=utf-8", statusCode: StatusCodes.Status404NotFound));
        return app;
    }
}
