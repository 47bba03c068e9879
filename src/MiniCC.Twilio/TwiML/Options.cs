namespace MiniCC.Twilio.TwiML;

/// <summary>Attributes of <c>&lt;Gather&gt;</c>. Null leaves Twilio's default.</summary>
public sealed record GatherOptions
{
    /// <summary>Where the digits are sent; Twilio's default is the current document.</summary>
    public string? Action { get; init; }

    /// <summary>GET or POST for <see cref="Action"/>.</summary>
    public string? Method { get; init; }

    /// <summary><c>dtmf</c>, <c>speech</c> or <c>dtmf speech</c>.</summary>
    public string? Input { get; init; }

    /// <summary>Submit as soon as this many digits were entered.</summary>
    public int? NumDigits { get; init; }

    /// <summary>Seconds of silence before submitting (or falling through when nothing was entered).</summary>
    public int? Timeout { get; init; }

    /// <summary>The key that submits; empty disables it.</summary>
    public string? FinishOnKey { get; init; }

    /// <summary>Request the action even when nothing was entered.</summary>
    public bool? ActionOnEmptyResult { get; init; }

    /// <summary>The language speech is recognised in (<c>ja-JP</c>, <c>en-US</c>…); Twilio's default is en-US.</summary>
    public string? Language { get; init; }

    /// <summary>Words and phrases the caller is likely to say (at most 500, each at most 100 characters).</summary>
    public IReadOnlyList<string>? Hints { get; init; }

    /// <summary>Seconds of silence that end speech, or <c>auto</c> (the first pause); Twilio's default is <see cref="Timeout"/>.</summary>
    public string? SpeechTimeout { get; init; }

    internal void Validate()
    {
        VoiceResponse.CheckMethod(Method);
        if (NumDigits is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(NumDigits), "numDigits must be 1 or more.");
        }

        if (Timeout is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), "timeout must be 1 second or more.");
        }

        if (Input is not null and not "dtmf" and not "speech" and not "dtmf speech")
        {
            throw new ArgumentException("input must be dtmf, speech or 'dtmf speech'.", nameof(Input));
        }

        if (Hints is { } hints && (hints.Count > 500 || hints.Any(h => string.IsNullOrWhiteSpace(h) || h.Length > 100 || h.Contains(','))))
        {
            throw new ArgumentException("hints are at most 500 words or phrases, each 1 to 100 characters without a comma.", nameof(Hints));
        }

        if (SpeechTimeout is not null and not "auto" && !(int.TryParse(SpeechTimeout, System.Globalization.NumberStyles.None,
                System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds >= 1))
        {
            throw new ArgumentException("speechTimeout is a positive number of seconds or auto.", nameof(SpeechTimeout));
        }

        if (FinishOnKey is { Length: > 1 } || FinishOnKey is [var k] && !(char.IsAsciiDigit(k) || k is '#' or '*'))
        {
            throw new ArgumentException("finishOnKey must be one of 0-9, # or *, or empty.", nameof(FinishOnKey));
        }
    }
}

/// <summary>Attributes of <c>&lt;Enqueue&gt;</c>.</summary>
public sealed record EnqueueOptions
{
    /// <summary>Requested when the caller leaves the queue (for a bridged caller: when the bridge ends).</summary>
    public string? Action { get; init; }

    /// <summary>GET or POST for <see cref="Action"/>.</summary>
    public string? Method { get; init; }

    /// <summary>TwiML run while the caller waits; re-requested whenever it ends.</summary>
    public string? WaitUrl { get; init; }

    /// <summary>GET or POST for <see cref="WaitUrl"/>.</summary>
    public string? WaitUrlMethod { get; init; }
}

/// <summary>Attributes of <c>&lt;Dial&gt;</c>.</summary>
public sealed record DialOptions
{
    /// <summary>Requested when the dialed leg ends; without it the next verb runs.</summary>
    public string? Action { get; init; }

    /// <summary>GET or POST for <see cref="Action"/>.</summary>
    public string? Method { get; init; }

    /// <summary>Seconds to ring (or to wait on an empty queue), 5–600.</summary>
    public int? Timeout { get; init; }

    /// <summary>Caller ID presented to the dialed party.</summary>
    public string? CallerId { get; init; }

    /// <summary>Maximum bridged duration in seconds.</summary>
    public int? TimeLimit { get; init; }

    /// <summary>Recording mode, e.g. <c>record-from-answer</c>.</summary>
    public string? Record { get; init; }

    /// <summary>Where Twilio posts the recording's status (<c>RecordingSid</c>, <c>RecordingUrl</c>, …).</summary>
    public string? RecordingStatusCallback { get; init; }

    /// <summary>Which statuses it posts, space-separated: <c>in-progress</c>, <c>completed</c>, <c>absent</c>; Twilio's default is completed.</summary>
    public string? RecordingStatusCallbackEvent { get; init; }

    internal void Validate()
    {
        VoiceResponse.CheckMethod(Method);
        if (Timeout is < 5 or > 600)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), "Dial timeout must be 5 to 600 seconds.");
        }

        if (TimeLimit is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(TimeLimit), "timeLimit must be 1 second or more.");
        }
    }
}
