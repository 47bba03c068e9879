using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;
using MiniCC.Pages;
using MiniCC.Security;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Desk;

/// <summary>
/// After a call, the operator who answered it records its disposition and a note:
/// <c>POST /desk/calls/{CallSid}/disposition</c> with the form fields <c>disposition</c> and <c>note</c>, and the
/// antiforgery token in the <see cref="PageEndpoints.AntiforgeryHeader"/> header (as the desk's script sends it) or the form.
/// 204 when saved; otherwise JSON <c>{"reason": code, "error": words in the pages' language}</c>.
/// </summary>
public static class DispositionEndpoints
{
    public const string DispositionPath = "/desk/calls/{CallSid}/disposition";

    /// <summary>More than any disposition and note (2,000 characters, each at most 12 bytes form-encoded) can need.</summary>
    private const long MaxBody = 64 * 1024;

    /// <summary>Where the disposition of <paramref name="callSid"/> is posted.</summary>
    public static string DispositionOf(string callSid) => "/desk/calls/" + Uri.EscapeDataString(callSid) + "/disposition";

    public static IEndpointRouteBuilder MapDispositions(this IEndpointRouteBuilder app)
    {
        app.MapPost(DispositionPath, SaveAsync).RequireAuthorization().WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(MaxBody));
        return app;
    }

    private static async Task<IResult> SaveAsync(HttpContext http, string callSid, IAntiforgery antiforgery, UserStore users,
        DispositionStore store, IOptions<DeskOptions> options, DashText text, ILoggerFactory logs, CancellationToken ct)
    {
        var desk = options.Value;
        if (!desk.Enabled)
        {
            return Refused(StatusCodes.Status404NotFound, "desk-off", text.DispositionDeskOff);
        }

        // Checked before the form is read, as the sign-in form does: any site could otherwise post a disposition for the operator.
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Refused(StatusCodes.Status400BadRequest, "antiforgery", text.BadFormToken);
        }

        // The operator is read now, not from the sign-in: a disabled operator records nothing more.
        var op = await users.ActiveOperatorAsync(http.User.Identity?.Name ?? "", ct);
        if (op is null)
        {
            return Refused(StatusCodes.Status403Forbidden, "not-an-operator", text.NotAnOperator);
        }

        if (!Sid.IsValid(callSid, "CA"))
        {
            return Refused(StatusCodes.Status400BadRequest, "call-sid", text.NotACallSid);
        }

        IFormCollection form;
        try
        {
            form = http.Request.HasFormContentType ? await http.Request.ReadFormAsync(ct) : FormCollection.Empty;
        }
        catch (InvalidDataException)
        {
            // A value ASP.NET will not decode (a NUL), or a form over its limits.
            return Refused(StatusCodes.Status400BadRequest, "form", text.FormUnreadable);
        }

        var key = form["disposition"].ToString();
        if (desk.FindDisposition(key) is null)
        {
            return Refused(StatusCodes.Status400BadRequest, "unknown-disposition", text.ChooseDisposition(desk.DispositionChoices.Select(d => d.Key)));
        }

        var (note, problem) = Note(form["note"].ToString());
        if (problem is not null)
        {
            return Refused(StatusCodes.Status400BadRequest, problem, problem == "note-too-long" ? text.NoteTooLong(DispositionStore.MaxNoteLength) : text.NoteNotText);
        }

        switch (await store.SaveAsync(callSid, op.Id, key, note, ct))
        {
            case DispositionSaved.UnknownCall:
                return Refused(StatusCodes.Status404NotFound, "unknown-call", text.CallNotFound);
            case DispositionSaved.NotTheirCall:
                DispositionLog.NotTheirCall(logs.CreateLogger("MiniCC.Desk"), op.Id, callSid);
                return Refused(StatusCodes.Status403Forbidden, "not-your-call", text.NotYourCall);
            default:
                return Results.NoContent();
        }
    }

    /// <summary>
    /// The note as stored: null when blank; line breaks as <c>\n</c> (a form posts a textarea's as CRLF, a script as LF:
    /// the same note is as long either way). Plain text: only control characters that a textarea holds (line breaks, tabs).
    /// </summary>
    internal static (string? Note, string? Problem) Note(string posted)
    {
        var note = posted.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        if (string.IsNullOrWhiteSpace(note))
        {
            return (null, null);
        }

        if (note.EnumerateRunes().Count() > DispositionStore.MaxNoteLength)
        {
            return (null, "note-too-long");
        }

        return note.Any(c => char.IsControl(c) && c is not '\n' and not '\t') ? (null, "note-invalid") : (note, null);
    }

    private static IResult Refused(int status, string reason, string error) =>
        Results.Json(new { reason, error }, statusCode: status);
}

internal static partial class DispositionLog
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator {OperatorId} tried to record the disposition of {CallSid}, a call they did not answer")]
    public static partial void NotTheirCall(ILogger logger, long operatorId, string callSid);
}
