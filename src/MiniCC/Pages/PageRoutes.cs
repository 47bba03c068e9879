namespace MiniCC.Pages;

/// <summary>Every page's path, defined once: the pages' <c>[Route]</c>, their links and forms all use these.</summary>
public static class PageRoutes
{
    public const string Today = "/";
    public const string History = "/history";
    public const string Operators = "/operators";
    public const string Abandoned = "/abandoned";
    public const string Calls = "/calls";
    public const string Call = "/calls/{CallSid}";
    public const string Callbacks = "/callbacks";
    public const string CallbacksCsv = "/callbacks.csv";
    public const string Wallboard = "/wallboard";
    public const string WallboardEvents = "/wallboard/events";
    public const string Desk = "/desk";
    public const string Settings = "/settings";
    public const string Menu = "/menu";
    public const string SignIn = "/signin";
    public const string SignOut = "/signout";
    public const string ReportApi = "/api/report";
    public const string WallboardApi = "/api/wallboard";

    public const string Voicemails = "/voicemails";
    public const string VoicemailsCsv = "/voicemails.csv";
    public const string VoicemailAudio = "/voicemails/{CallSid}/audio";

    /// <summary>A conversation's recording, streamed through MiniCC for the call page's player.</summary>
    public const string CallRecordingAudio = "/calls/{CallSid}/recordings/{RecordingSid}/audio";
    public const string VoicemailHandled = "/voicemails/{CallSid}/handled";

    /// <summary>The player's source: MiniCC's own copy of the recording (see <see cref="MiniCC.Voicemail.VoicemailMedia"/>).</summary>
    public static string AudioOf(string callSid) => "/voicemails/" + Uri.EscapeDataString(callSid) + "/audio";

    /// <summary>Where "mark handled" posts.</summary>
    public static string HandledOf(string callSid) => "/voicemails/" + Uri.EscapeDataString(callSid) + "/handled";

    /// <summary>The page of one call.</summary>
    public static string CallOf(string callSid) => "/calls/" + Uri.EscapeDataString(callSid);

    /// <summary>A CSV download of one table (see <see cref="CsvEndpoints"/>).</summary>
    public static string Csv(string table) => "/csv/" + table + ".csv";
}
