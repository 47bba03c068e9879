namespace MiniCC.Twilio.TwiML;

public sealed partial class VoiceResponse
{
    /// <summary>
    /// Records the caller after an optional beep. Twilio requests <see cref="RecordOptions.Action"/> when the recording
    /// ends (a key in <see cref="RecordOptions.FinishOnKey"/>, silence, the maximum length, or a hang-up); verbs after
    /// <c>&lt;Record&gt;</c> run only when Twilio does not request the action (an empty recording, per older docs).
    /// </summary>
    public VoiceResponse Record(RecordOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _verbs.Add(w =>
        {
            w.WriteStartElement("Record");
            Attr(w, "action", options.Action);
            Attr(w, "method", options.Method);
            Attr(w, "maxLength", options.MaxLength);
            Attr(w, "timeout", options.Timeout);
            Attr(w, "finishOnKey", options.FinishOnKey);
            Attr(w, "playBeep", options.PlayBeep is bool beep ? (beep ? "true" : "false") : null);
            Attr(w, "recordingStatusCallback", options.RecordingStatusCallback);
            Attr(w, "recordingStatusCallbackMethod", options.RecordingStatusCallbackMethod);
            Attr(w, "recordingStatusCallbackEvent", options.RecordingStatusCallbackEvent);
            w.WriteEndElement();
        });
        return this;
    }
}

/// <summary>Attributes of <c>&lt;Record&gt;</c>. Null leaves Twilio's default.</summary>
public sealed record RecordOptions
{
    /// <summary>Twilio's longest recording without an account setting: 4 hours.</summary>
    public const int MaxLengthLimit = 14400;

    /// <summary>Requested when the recording ends, with RecordingUrl, RecordingDuration and Digits; defaults to the current document (a loop).</summary>
    public string? Action { get; init; }

    /// <summary>GET or POST for <see cref="Action"/>.</summary>
    public string? Method { get; init; }

    /// <summary>The longest recording in seconds, 2 to <see cref="MaxLengthLimit"/> (Twilio: more than 1).</summary>
    public int? MaxLength { get; init; }

    /// <summary>Seconds of silence that end the recording; 0 turns it off.</summary>
    public int? Timeout { get; init; }

    /// <summary>Keys (any of 0-9, #, *) that end the recording; empty: none.</summary>
    public string? FinishOnKey { get; init; }

    /// <summary>Whether a beep marks the start.</summary>
    public bool? PlayBeep { get; init; }

    /// <summary>Requested when the recording's state changes (its media is ready at <c>completed</c>).</summary>
    public string? RecordingStatusCallback { get; init; }

    /// <summary>GET or POST for <see cref="RecordingStatusCallback"/>.</summary>
    public string? RecordingStatusCallbackMethod { get; init; }

    /// <summary>Which states are reported, space-separated: <c>in-progress</c>, <c>completed</c>, <c>absent</c>.</summary>
    public string? RecordingStatusCallbackEvent { get; init; }

    private static readonly string[] Events = ["in-progress", "completed", "absent"];

    internal void Validate()
    {
        VoiceResponse.CheckMethod(Method);
        VoiceResponse.CheckMethod(RecordingStatusCallbackMethod);
        if (MaxLength is < 2 or > MaxLengthLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLength), $"maxLength must be 2 to {MaxLengthLimit} seconds.");
        }

        if (Timeout is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), "timeout must be 0 seconds or more.");
        }

        if (FinishOnKey is { } keys && !keys.All(k => char.IsAsciiDigit(k) || k is '#' or '*'))
        {
            throw new ArgumentException("finishOnKey may hold only 0-9, # and *.", nameof(FinishOnKey));
        }

        if (RecordingStatusCallbackEvent is { } events &&
            (events.Length == 0 || !events.Split(' ').All(e => Events.Contains(e, StringComparer.Ordinal))))
        {
            throw new ArgumentException("recordingStatusCallbackEvent is a space-separated list of in-progress, completed and absent.",
                nameof(RecordingStatusCallbackEvent));
        }
    }
}
