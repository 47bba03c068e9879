using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using MiniCC.Pages;
using MiniCC.Reports;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voicemail;

/// <summary>
/// The voicemail page's endpoints, for signed-in users only: the recording (streamed from Twilio by
/// <see cref="VoicemailMedia"/>), "mark handled" (a form POST with the antiforgery token), and the CSV.
/// </summary>
public static class VoicemailEndpoints
{
    public static IServiceCollection AddVoicemail(this IServiceCollection services)
    {
        services.AddSingleton<VoicemailStore>();
        services.AddSingleton<Recordings.CallRecordings>();
        return VoicemailMedia.AddVoicemailMedia(services);
    }

    public static IEndpointRouteBuilder MapVoicemails(this IEndpointRouteBuilder app)
    {
        var pages = app.MapGroup("").RequireAuthorization();
        pages.MapGet(PageRoutes.VoicemailAudio, async (string callSid, HttpRequest http, VoicemailStore store, VoicemailMedia media, DashText text,
            CancellationToken ct) =>
            Sid.IsValid(callSid, "CA") && await store.FindAsync(callSid, ct) is { Playable: true } voicemail
                ? await media.StreamAsync(callSid, voicemail.RecordingUrl!, http.Headers.Range.Count == 1 ? http.Headers.Range.ToString() : null, ct)
                : Text(StatusCodes.Status404NotFound, text.NothingToPlay));
        pages.MapPost(PageRoutes.VoicemailHandled, async (string callSid, HttpContext http, IAntiforgery antiforgery, VoicemailStore store,
            DashText text, CancellationToken ct) =>
        {
            // Checked before anything else: any site could otherwise mark a voicemail handled for a signed-in user.
            if (!await antiforgery.IsRequestValidAsync(http))
            {
                return Text(StatusCodes.Status400BadRequest, text.BadFormToken);
            }

            if (!Sid.IsValid(callSid, "CA") ||
                await store.MarkHandledAsync(callSid, http.User.Identity?.Name ?? "", ct) == HandledMark.UnknownVoicemail)
            {
                return Text(StatusCodes.Status404NotFound, text.VoicemailNotFound);
            }

            // Back to the list, at the row (marked now, or by someone a moment before: their name is shown either way).
            return Results.Redirect(PageRoutes.Voicemails + "#" + RowId(callSid));
        });
        pages.MapGet(PageRoutes.VoicemailsCsv, async (VoicemailStore store, ReportQuery reports, CancellationToken ct) =>
        {
            var body = Csv(await store.NewestAsync(VoicemailStore.MaxDownload, ct), reports.Zone);
            // With a byte order mark, as every MiniCC CSV: spreadsheets then read Japanese right.
            return Results.File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(body)], "text/csv; charset=utf-8", "minicc-voicemails.csv");
        });
        return app;
    }

    /// <summary>The id of a voicemail's row on the page.</summary>
    public static string RowId(string callSid) => "vm-" + callSid;

    /// <summary>Every column as stored, times in the report zone; the recording URL is left out (the page plays it through MiniCC).</summary>
    public static string Csv(IEnumerable<VoicemailRow> voicemails, TimeZoneInfo zone) =>
        ReportCsv.Write(
            ["call_sid", "from_number", "reason", "recorded_at", "duration_seconds", "status", "recording_sid", "handled_at", "handled_by"],
            voicemails.Select(v => new object?[]
            {
                v.CallSid, v.FromNumber, v.Reason, ReportCsv.Local(DateTimeOffset.FromUnixTimeMilliseconds(v.RecordedAt), zone), v.DurationSeconds,
                v.Status, v.RecordingSid, ReportCsv.Local(v.HandledAt is { } h ? DateTimeOffset.FromUnixTimeMilliseconds(h) : null, zone), v.HandledBy,
            }));

    private static IResult Text(int status, string words) => Results.Text(words + "\n", "text/plain; charset=utf-8", statusCode: status);
}
