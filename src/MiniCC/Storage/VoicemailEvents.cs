using static MiniCC.Storage.SqlBatch;

namespace MiniCC.Storage;

// A voicemail's row (table voicemails) is derived from three events of its call: the prompt (reason, caller), the
// Record action (URL, duration) and the recording status callback (SID, final status). Twilio may deliver the status
// callback before the action, and a spooled event may be stored after a later one, so every statement here holds
// whatever the order: the first event creates the row, each fills only what it knows, and the status only moves on.

/// <summary>Why a caller was sent to voicemail, as the Redirect's <c>reason</c> says and <c>voicemails.reason</c> keeps.</summary>
public static class VoicemailReasons
{
    public const string Closed = "closed";
    public const string NoOperator = "no-operator";
    public const string MaxWait = "max-wait";
    public const string Key = "key";

    /// <summary>A voicemail node of the center's menu (<c>MiniCC:Menu</c>).</summary>
    public const string Menu = "menu";

    public static readonly IReadOnlyList<string> All = [Closed, NoOperator, MaxWait, Key, Menu];

    public static bool IsKnown(string? reason) => reason is not null && All.Contains(reason);
}

/// <summary>A voicemail's state in <c>voicemails.status</c>: offered, then recorded, then completed, failed or absent.</summary>
public static class VoicemailStatuses
{
    /// <summary>The caller heard the prompt; no recording is known yet (and none may come: they hung up first).</summary>
    public const string Offered = "offered";

    /// <summary>The Record action gave a URL; Twilio has not yet said the media is ready.</summary>
    public const string Recorded = "recorded";

    public const string Completed = "completed";
    public const string Failed = "failed";

    /// <summary>Twilio recorded nothing (silence, or a hang-up before the beep).</summary>
    public const string Absent = "absent";

    /// <summary>What the status callback may say: the states it ends in, and in-progress (which changes nothing).</summary>
    public static readonly IReadOnlyList<string> Reported = ["in-progress", Completed, Failed, Absent];
}

/// <summary>The caller was sent to voicemail and heard its prompt.</summary>
public sealed record VoicemailOffered : HistoryEvent
{
    public const string Name = "voicemail";

    protected override string KindName => Name;

    /// <summary>One of <see cref="VoicemailReasons.All"/>.</summary>
    public string Reason { get; init; } = "";

    /// <summary>One voicemail per call: a retry of the prompt's request lands once.</summary>
    internal override string DedupeKey => "1";

    protected override string? DecisionProblem() => VoicemailRows.ReasonProblem(Reason);

    internal override void Derive(SqlBatch sql, long now) => VoicemailRows.Ensure(sql, this, now, Reason, VoicemailStatuses.Offered);
}

/// <summary>The <c>&lt;Record&gt;</c> action: the message ended (<c>Digits</c> is <c>#</c>, or <c>hangup</c>) with its URL and length.</summary>
public sealed record VoicemailRecorded : HistoryEvent
{
    public const string Name = "voicemail_recorded";

    protected override string KindName => Name;

    public string Reason { get; init; } = "";

    internal override string DedupeKey => Hook.RecordingUrl is { } url ? FitId(url) : Id;

    protected override string? DecisionProblem() => VoicemailRows.ReasonProblem(Reason) ?? VoicemailRows.RecordingProblem(Hook);

    internal override void Derive(SqlBatch sql, long now)
    {
        var url = Hook.RecordingUrl;
        VoicemailRows.Ensure(sql, this, now - ((Hook.RecordingDuration ?? 0) * 1000L), Reason,
            url is null ? VoicemailStatuses.Offered : VoicemailStatuses.Recorded);
        // The status callback's values win where both are known (it is Twilio's last word on the media).
        sql.Add($"""
            UPDATE voicemails SET
                recording_url = COALESCE(recording_url, @url),
                recording_sid = COALESCE(recording_sid, @sid),
                duration_seconds = COALESCE(duration_seconds, @duration),
                status = CASE WHEN status = '{VoicemailStatuses.Offered}' AND @url IS NOT NULL THEN '{VoicemailStatuses.Recorded}' ELSE status END
            WHERE call_sid = @CallSid
            """, A("url", url), A("sid", Hook.RecordingSid), A("duration", Hook.RecordingDuration), A("CallSid", CallSid));
    }
}

/// <summary>Twilio's recording status callback: the media is ready at its URL (completed), or will never be (failed, absent).</summary>
public sealed record RecordingStatusChanged : HistoryEvent
{
    public const string Name = "recording_status";

    protected override string KindName => Name;

    internal override string DedupeKey => FitId((Hook.RecordingSid ?? "") + ":" + (Hook.RecordingStatus ?? ""));

    protected override string? DecisionProblem() =>
        Hook.RecordingSid is null ? "its RecordingSid is missing"
        : Hook.RecordingStatus is not { } status || !VoicemailStatuses.Reported.Contains(status) ? "its RecordingStatus is not one Twilio reports"
        : VoicemailRows.RecordingProblem(Hook);

    internal override void Derive(SqlBatch sql, long now)
    {
        var status = Hook.RecordingStatus;
        var final = status is VoicemailStatuses.Completed or VoicemailStatuses.Failed or VoicemailStatuses.Absent ? status : null;
        VoicemailRows.Ensure(sql, this, now - ((Hook.RecordingDuration ?? 0) * 1000L), null, final ?? VoicemailStatuses.Offered);
        sql.Add("""
            UPDATE voicemails SET
                recording_sid = @sid,
                recording_url = COALESCE(@url, recording_url),
                duration_seconds = COALESCE(@duration, duration_seconds),
                status = COALESCE(@final, status)
            WHERE call_sid = @CallSid
            """, A("sid", Hook.RecordingSid), A("url", Hook.RecordingUrl), A("duration", Hook.RecordingDuration), A("final", final),
            A("CallSid", CallSid));
    }
}

/// <summary>What every voicemail event derives, and the checks that keep what cannot be a recording out of the table.</summary>
public static class VoicemailRows
{
    /// <summary>The longest recording URL stored (as <c>voicemails.recording_url</c> holds, and the webhook parser keeps).</summary>
    public const int MaxUrlLength = 1024;

    /// <summary>The row, when this is the first event of the voicemail to be stored; then what this event knows, where it was not known.</summary>
    internal static void Ensure(SqlBatch sql, HistoryEvent e, long startedAt, string? reason, string status)
    {
        sql.Add(sql.D.InsertIgnore(
            "voicemails (call_sid, from_number, reason, recorded_at, status) VALUES (@CallSid, @From, @reason, @startedAt, @status)"),
            A("CallSid", e.CallSid), A("From", e.Hook.From), A("reason", reason), A("startedAt", startedAt), A("status", status));
        // The message began at the earliest moment any of its events shows.
        sql.Add("""
            UPDATE voicemails SET
                from_number = COALESCE(from_number, @From),
                reason = COALESCE(reason, @reason),
                recorded_at = CASE WHEN @startedAt < recorded_at THEN @startedAt ELSE recorded_at END
            WHERE call_sid = @CallSid
            """, A("From", e.Hook.From), A("reason", reason), A("startedAt", startedAt), A("CallSid", e.CallSid));
    }

    internal static string? ReasonProblem(string? reason) =>
        VoicemailReasons.IsKnown(reason) ? null : $"its reason is not one of {string.Join(", ", VoicemailReasons.All)}";

    /// <summary>
    /// Why the recording parameters of <paramref name="hook"/> cannot be a Twilio recording, or null. A malformed one that
    /// the parser dropped (an odd RecordingSid or RecordingDuration) is named too: it is refused, not stored as absent.
    /// </summary>
    public static string? RecordingProblem(Twilio.Webhooks.VoiceWebhook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        foreach (var name in new[] { "RecordingUrl", "RecordingSid", "RecordingDuration", "RecordingStatus" })
        {
            if (hook.Ignored.Contains(name))
            {
                return $"{name} is malformed";
            }
        }

        return hook.RecordingUrl is { } url && UrlProblem(url) is { } problem ? "RecordingUrl " + problem : null;
    }

    /// <summary>A recording URL is an absolute http(s) URL without a user name, query or fragment (Twilio's have none).</summary>
    public static string? UrlProblem(string url) =>
        url.Length > MaxUrlLength ? $"is longer than {MaxUrlLength} characters"
        : !Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.Host.Length == 0
            ? "is not an absolute http(s) URL"
        : u.UserInfo.Length > 0 || u.Query.Length > 0 || u.Fragment.Length > 0 || url.Any(char.IsWhiteSpace)
            ? "has a user name, a query, a fragment or a space; a Twilio recording URL has none"
        : null;
}
