namespace MiniCC.Voice;

/// <summary>Every webhook path, defined once: the endpoints map them and the TwiML links to them.</summary>
public static class VoiceRoutes
{
    public const string Incoming = "/voice/incoming";
    public const string Menu = "/voice/menu";
    public const string NoInput = "/voice/no-input";
    public const string Information = "/voice/information";
    public const string Wait = "/voice/wait";
    public const string Operator = "/voice/operator";
    public const string OperatorPin = "/voice/operator-pin";

    /// <summary>A key an operator pressed in the loop (1 ready, 9 break).</summary>
    public const string OperatorKey = "/voice/operator-key";

    /// <summary>The reason an operator chose for a break.</summary>
    public const string OperatorBreak = "/voice/operator-break";
    public const string Whisper = "/voice/whisper";
    public const string QueueExit = "/voice/queue-exit";
    public const string Status = "/voice/status";

    /// <summary>The TwiML App's Voice URL: calls placed from the desk (the browser softphone).</summary>
    public const string Client = "/voice/client";

    /// <summary>A key a waiting caller pressed in the wait document (* callback, # voicemail); the caller is still queued.</summary>
    public const string WaitKey = "/voice/wait-key";

    /// <summary>The caller confirms or keys in the number to be called back on.</summary>
    public const string CallbackNumber = "/voice/callback-number";

    /// <summary>How the operator's callback dial ended (the Dial's action).</summary>
    public const string CallbackResult = "/voice/callback-result";

    /// <summary>What a customer who answers a callback hears before the operator is connected (<c>&lt;Number url&gt;</c>).</summary>
    public const string CallbackGreeting = "/voice/callback-greeting";

    /// <summary>The recording status callback of an operator's Dial in a queue that records (<c>?queue=</c>).</summary>
    public const string CallRecording = "/voice/call-recording";

    /// <summary>The choice offered when no operator is signed in: 1 a callback, 2 a voicemail.</summary>
    public const string NoOperator = "/voice/no-operator";

    /// <summary>The voicemail prompt and its <c>&lt;Record&gt;</c>; <c>reason</c> says why it was offered.</summary>
    public const string Voicemail = "/voice/voicemail";

    /// <summary>The <c>&lt;Record&gt;</c>'s action: the caller finished (or hung up on) their message.</summary>
    public const string VoicemailRecorded = "/voice/voicemail-recorded";

    /// <summary>Twilio's recording status callback: the recording is (or is not) ready at its URL.</summary>
    public const string RecordingStatus = "/voice/recording-status";

    /// <summary>Every mapped route (the fuzz and bad-input tests visit each); add a route here when it is mapped.</summary>
    public static readonly IReadOnlyList<string> All = [Incoming, Menu, NoInput, Information, Wait, Operator, OperatorPin, OperatorKey, OperatorBreak, Whisper, QueueExit, Status, Client,
        WaitKey, CallbackNumber, NoOperator, CallbackResult, CallbackGreeting, CallRecording, Voicemail, VoicemailRecorded, RecordingStatus];
}
