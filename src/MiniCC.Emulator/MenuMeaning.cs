namespace MiniCC.Emulator;

/// <summary>
/// What an app's menu means: which &lt;Gather&gt; is the menu and what each key chooses. This is the app's knowledge,
/// not Twilio's; only <see cref="GroundTruth"/> reads it. <see cref="MiniCC"/> is MiniCC's own menu.
/// </summary>
public sealed record MenuMeaning
{
    /// <summary>MiniCC's menu: its Gather posts to /voice/menu; 1 is an operator, 2 the product information.</summary>
    public static MenuMeaning MiniCC { get; } = new();

    /// <summary>The path the menu's Gather action ends with; a Gather posting elsewhere (a PIN, a choice in the queue) is not the menu.</summary>
    public string ActionPath { get; init; } = "/voice/menu";

    /// <summary>What each key (or key sequence) means.</summary>
    public IReadOnlyDictionary<string, string> Choices { get; init; } = new Dictionary<string, string>
    {
        ["1"] = "operator",
        ["2"] = "information",
    };

    /// <summary>Spoken words → what they choose (a caller's speech that holds the word chooses it); none: MiniCC's own menu takes keys only.</summary>
    public IReadOnlyDictionary<string, string> Words { get; init; } = new Dictionary<string, string>();

    /// <summary>What nothing pressed before the timeout means.</summary>
    public string NoInput { get; init; } = "no-input";

    /// <summary>What any other key means.</summary>
    public string Other { get; init; } = "invalid";

    /// <summary>What a key pressed while waiting in the queue means (MiniCC: * a callback, # a voicemail).</summary>
    public IReadOnlyDictionary<string, string> QueueKeys { get; init; } = new Dictionary<string, string>
    {
        ["*"] = Callback,
        ["#"] = Voicemail,
    };

    /// <summary>The path of the Gather offered outside the queue when nobody can answer (MiniCC: no operator signed in).</summary>
    public string OfferPath { get; init; } = "/voice/no-operator";

    /// <summary>What a key pressed at that offer means (MiniCC: 1 a callback, 2 a voicemail).</summary>
    public IReadOnlyDictionary<string, string> OfferKeys { get; init; } = new Dictionary<string, string>
    {
        ["1"] = Callback,
        ["2"] = Voicemail,
    };

    /// <summary>
    /// The path of the Gather that confirms the caller ID or takes a keyed-in number for a callback. Outside the queue,
    /// pressing <see cref="CallbackConfirmKey"/> or keying a number there is the request (in the queue, leaving it is).
    /// </summary>
    public string CallbackNumberPath { get; init; } = "/voice/callback-number";

    /// <summary>The key that confirms the caller's own number for a callback.</summary>
    public string CallbackConfirmKey { get; init; } = "1";

    /// <summary>The path a callback's &lt;Dial action&gt; ends with: such a Dial is the center calling a customer back.</summary>
    public string CallbackDialPath { get; init; } = "/voice/callback-result";

    public const string Callback = "callback";
    public const string Voicemail = "voicemail";

    /// <summary>True when a Gather whose action is <paramref name="actionUrl"/> is this menu.</summary>
    public bool IsMenu(string actionUrl) => PathEndsWith(actionUrl, ActionPath);

    /// <summary>What a Gather posting to <paramref name="actionUrl"/> with <paramref name="digits"/> chooses at the offer; null for anything else.</summary>
    public string? OfferChoice(string actionUrl, string digits) =>
        PathEndsWith(actionUrl, OfferPath) && OfferKeys.TryGetValue(digits, out var choice) ? choice : null;

    /// <summary>True when a Gather posting to <paramref name="actionUrl"/> confirms or keys in a callback number.</summary>
    public bool IsCallbackNumber(string actionUrl) => PathEndsWith(actionUrl, CallbackNumberPath);

    /// <summary>True when a &lt;Dial&gt; whose action is <paramref name="actionUrl"/> calls a customer back.</summary>
    public bool IsCallbackDial(string? actionUrl) => actionUrl is not null && PathEndsWith(actionUrl, CallbackDialPath);

    private static bool PathEndsWith(string url, string path) =>
        Uri.TryCreate(new Uri("https://x/"), url, out var u) && u.AbsolutePath.EndsWith(path, StringComparison.Ordinal);

    /// <summary>The choice spoken <paramref name="speech"/> makes: the first of <see cref="Words"/> it holds, else <see cref="Other"/>.</summary>
    public string ChoiceOfSpeech(string speech) =>
        Words.FirstOrDefault(w => speech.Contains(w.Key, StringComparison.OrdinalIgnoreCase)) is { Key: not null } found ? found.Value : Other;

    /// <summary>The choice <paramref name="digits"/> make.</summary>
    public string ChoiceOf(string digits) =>
        digits.Length == 0 ? NoInput : Choices.TryGetValue(digits, out var choice) ? choice : Other;

    /// <summary>
    /// A menu of several levels (MiniCC:Menu): the meaning of each further menu by its node id, which its Gather's action
    /// names (<c>/voice/menu?node=orders</c>). The first menu's Gather names none: its meaning is this record's own.
    /// </summary>
    public IReadOnlyDictionary<string, MenuMeaning> Nodes { get; init; } = new Dictionary<string, MenuMeaning>();

    /// <summary>The meaning of the menu whose Gather posts to <paramref name="actionUrl"/>: its node's, or this one's.</summary>
    public MenuMeaning At(string actionUrl) =>
        Uri.TryCreate(new Uri("https://x/"), actionUrl, out var u)
        && u.Query.TrimStart('?').Split('&').Select(p => p.Split('=', 2)).FirstOrDefault(p => p[0] == "node") is [_, var node]
        && Nodes.TryGetValue(Uri.UnescapeDataString(node), out var meaning)
            ? meaning
            : this;
}
