using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>
/// Something that happened on a call, as Twilio saw it. The interpreter raises these (<see cref="TwilioEmulator.Happened"/>)
/// and knows nothing of what they mean to the app: <see cref="GroundTruth"/> and the scripted callers read them.
/// </summary>
public abstract record CallEvent;

/// <summary>The call's first request is about to be made (a planned call starts now).</summary>
public sealed record CallStarted : CallEvent;

/// <summary>A &lt;Gather&gt; listens for keys; <paramref name="InQueue"/> when it is in the queue's wait music.</summary>
public sealed record GatherStarted(XElement Gather, bool InQueue) : CallEvent;

/// <summary>A &lt;Gather&gt; ended with <paramref name="Digits"/> (empty: nothing pressed before its timeout); its action is <paramref name="ActionUrl"/>.</summary>
public sealed record GatherFinished(XElement Gather, string ActionUrl, string Digits, bool InQueue) : CallEvent
{
    /// <summary>What the caller said, when speech (not keys) ended the Gather.</summary>
    public string? Speech { get; init; }
}

/// <summary>&lt;Enqueue&gt; put the call in <paramref name="Queue"/>, or could not: the queue was full.</summary>
public sealed record QueueEntered(string Queue, bool Full) : CallEvent;

/// <summary>A caller in the queue was taken by <paramref name="By"/>'s &lt;Dial&gt;&lt;Queue&gt; after <paramref name="WaitSeconds"/>.</summary>
public sealed record Dequeued(EmulatedCall By, int WaitSeconds) : CallEvent;

/// <summary>The call's &lt;Enqueue&gt; ended with <paramref name="Result"/> (Twilio's QueueResult) after <paramref name="QueueSeconds"/> in the queue.</summary>
public sealed record QueueLeft(string Result, int? QueueSeconds) : CallEvent;

/// <summary>The call runs a &lt;Dial&gt; (its nouns say what it dials).</summary>
public sealed record DialStarted(XElement Dial) : CallEvent;

/// <summary>The call is connected to <paramref name="Other"/>.</summary>
public sealed record BridgeStarted(EmulatedCall Other) : CallEvent;

/// <summary>The connection to <paramref name="Other"/> ended because <paramref name="HungUpBy"/> hung up.</summary>
public sealed record BridgeEnded(EmulatedCall Other, EmulatedCall HungUpBy) : CallEvent;

/// <summary>
/// The call's &lt;Dial&gt; ended with <paramref name="Status"/> (its DialCallStatus), naming the leg it rang last (null:
/// none); <paramref name="Bridged"/> when the two talked; <paramref name="DurationSeconds"/> is its DialCallDuration.
/// </summary>
public sealed record DialEnded(string Status, EmulatedCall? Leg, bool Bridged, int DurationSeconds) : CallEvent
{
    /// <summary>When the party it reached answered (a queue's caller: when picked up); null when nobody did.</summary>
    public DateTimeOffset? AnsweredAt { get; init; }
}

/// <summary>A &lt;Record&gt; started recording (after its beep) as <paramref name="RecordingSid"/>.</summary>
public sealed record RecordingStarted(XElement Record, string RecordingSid) : CallEvent;

/// <summary>
/// A &lt;Record&gt; ended: <paramref name="Stored"/> when something was said (then its action is requested), else the
/// recording is absent and the call goes on after the verb; <paramref name="Digits"/> is the key that ended it, "hangup", or empty.
/// </summary>
public sealed record RecordingFinished(string RecordingSid, bool Stored, int DurationSeconds, string Digits) : CallEvent;

/// <summary>Twilio met an application error on the call (and went to the Fallback URL, or apologised).</summary>
public sealed record CallFailed(ApplicationError Error) : CallEvent;

/// <summary>The call ended with <paramref name="Status"/> after <paramref name="DurationSeconds"/> (Twilio's CallDuration).</summary>
public sealed record CallFinished(string Status, int DurationSeconds) : CallEvent;
