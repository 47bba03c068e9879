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

    public static readonly IReadOnlyList<string> All = [Incoming, Menu, NoInput, Information, Wait, Operator, OperatorPin, OperatorKey, OperatorBreak, Whisper, QueueExit, Status, Client];
}
