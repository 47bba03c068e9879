namespace MiniCC.Emulator;

/// <summary>Where a call is.</summary>
public enum CallState
{
    Ringing,
    InProgress,
    InQueue,
    BeingConnected,
    Talking,
    WaitingForCaller,
    Completed,

    /// <summary>A &lt;Dial&gt; of numbers or clients rings its legs; nobody has answered yet.</summary>
    Dialing,
}

/// <summary>What a simulated customer does. Null fields mean "nothing": no key, infinite patience.</summary>
public sealed record CallerScript
{
    /// <summary>
    /// Keys to press, one entry per &lt;Gather&gt; the caller hears outside the queue (a menu, and the same menu again
    /// after a wrong key), e.g. ["3", "1"]: an invalid key, then 1. A Gather beyond the list hears nothing pressed. An
    /// entry <c>say:words</c> is spoken instead (heard only by a Gather that listens for speech), e.g. ["1", "say:注文です"].
    /// </summary>
    public IReadOnlyList<string> Presses { get; init; } = [];

    /// <summary>A <see cref="Presses"/> entry that starts so is spoken, not pressed.</summary>
    public const string SpeechPrefix = "say:";

    /// <summary>How sure Twilio is of what a scripted caller says.</summary>
    public const double SpeechConfidence = 0.9;

    /// <summary>How long after a menu starts the caller presses (a press during the prompt barges in).</summary>
    public TimeSpan PressAfter { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>How long the caller waits in the queue before hanging up; null waits for ever.</summary>
    public TimeSpan? Patience { get; init; }

    /// <summary>How long the caller talks once connected.</summary>
    public TimeSpan TalkTime { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Who ends the conversation: the caller (true) or the operator.</summary>
    public bool CallerHangsUpFirst { get; init; } = true;

    /// <summary>
    /// Keys to press, one entry per &lt;Gather&gt; heard in the queue's wait context (the wait music, and what its Gather's
    /// action answers while the caller is still queued), e.g. ["*", "1"]: ask for a callback, then confirm it. The first is
    /// pressed <see cref="QueuePressAfter"/> after entering the queue (at the first Gather listening then), each next one
    /// <see cref="PressAfter"/> after its Gather starts. Entries may hold several keys ("0312345678#").
    /// </summary>
    public IReadOnlyList<string> QueuePresses { get; init; } = [];

    /// <summary>How long the caller waits in the queue before the first of <see cref="QueuePresses"/>.</summary>
    public TimeSpan QueuePressAfter { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>How long the caller speaks after a &lt;Record&gt;'s beep; null (or zero) says nothing (the recording is absent).</summary>
    public TimeSpan? Message { get; init; }

    /// <summary>What the caller does when their message is said: press <see cref="MessageKey"/>, hang up, or wait in silence.</summary>
    public MessageEnd MessageEnds { get; init; } = MessageEnd.Key;

    /// <summary>The key pressed at the end of the message (with <see cref="MessageEnd.Key"/>).</summary>
    public string MessageKey { get; init; } = "#";
}

/// <summary>How a caller ends a message into a &lt;Record&gt;.</summary>
public enum MessageEnd
{
    /// <summary>Presses <see cref="CallerScript.MessageKey"/> (it ends the recording when it is in the Record's finishOnKey).</summary>
    Key,

    /// <summary>Hangs up: Twilio requests the action with Digits=hangup, and ignores its TwiML.</summary>
    HangUp,

    /// <summary>Stays silent: the Record's timeout (seconds of silence) ends it, or its maxLength.</summary>
    Silence,
}

/// <summary>One request the emulator made and what came back.</summary>
public sealed record Exchange(DateTimeOffset At, string Method, string Url, IReadOnlyList<KeyValuePair<string, string>> Parameters, int Status, string Body);

/// <summary>
/// Something Twilio would log as an application error, with its error code (11200, 12100, …; 0 for the emulator's
/// own safety net). The call goes to the Fallback URL when one is configured, or hears Twilio's apology and ends.
/// </summary>
public sealed record ApplicationError(DateTimeOffset At, string CallSid, string Url, string Reason)
{
    /// <summary>Twilio's error code, as the Fallback URL's ErrorCode tells it.</summary>
    public int Code { get; init; }
}

/// <summary>One line of a call's transcript.</summary>
public sealed record TranscriptLine(DateTimeOffset At, string Kind, string Text)
{
    public override string ToString() => $"{At:HH:mm:ss} {Kind,-8} {Text}";
}
