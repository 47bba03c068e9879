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
    public const string SignIn = "/signin";
    public const string SignOut = "/signout";
    public const string ReportApi = "/api/report";
    public const string WallboardApi = "/api/wallboard";

    /// <summary>The page of one call.</summary>
    public static string CallOf(string callSid) => "/calls/" + Uri.EscapeDataString(callSid);

    /// <summary>A CSV download of one table (see <see cref="CsvEndpoints"/>).</summary>
    public static string Csv(string table) => "/csv/" + table + ".csv";
}
