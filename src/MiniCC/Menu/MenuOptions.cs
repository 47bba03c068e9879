namespace MiniCC.Menu;

/// <summary>
/// The <c>MiniCC:Menu</c> section: the center's phone menu as a tree of named nodes, from <see cref="Start"/>. Left out,
/// it is the original's menu (<see cref="MenuDefaults.Original"/>), so a center that configures nothing hears what it
/// always heard. <see cref="File"/> names a JSON file that holds the tree instead (the same shape, at its root).
/// </summary>
public sealed class MenuOptions
{
    public const string Section = "MiniCC:Menu";

    /// <summary>A JSON file holding <see cref="Start"/> and <see cref="Nodes"/> (relative to the content root); empty: this section holds them.</summary>
    public string? File { get; set; }

    /// <summary>The node every customer call begins at.</summary>
    public string Start { get; set; } = "";

    /// <summary>Node id → node. Ids are lower-case letters, digits and hyphens (they appear in URLs and in the history).</summary>
    public Dictionary<string, MenuNode> Nodes { get; set; } = new(StringComparer.Ordinal);
}

/// <summary>What a node does: its <see cref="MenuNode.Type"/>.</summary>
public static class MenuNodeTypes
{
    /// <summary>Say <see cref="MenuNode.Say"/> inside a <c>&lt;Gather&gt;</c> and go where the key (or the words) chosen lead.</summary>
    public const string Menu = "menu";

    /// <summary>Say <see cref="MenuNode.Say"/>, then go to <see cref="MenuNode.Next"/> (or hang up without one).</summary>
    public const string Say = "say";

    /// <summary>Say <see cref="MenuNode.Say"/>, then queue the caller for an operator (in <see cref="MenuNode.Queue"/>).</summary>
    public const string Queue = "queue";

    /// <summary>The product information (<c>MiniCC:Voice:InformationAudioUrl</c> or the Information prompt), then goodbye and hang up.</summary>
    public const string Information = "information";

    /// <summary>Say <see cref="MenuNode.Say"/>, then hang up.</summary>
    public const string Hangup = "hangup";

    /// <summary>Open now (<c>MiniCC:Hours</c>)? To <see cref="MenuNode.Open"/>, else to <see cref="MenuNode.Closed"/>.</summary>
    public const string Hours = "hours";

    /// <summary>Is the caller's number one of <see cref="MenuNode.Numbers"/> (a VIP list)? To <see cref="MenuNode.Listed"/>, else to <see cref="MenuNode.Others"/>.</summary>
    public const string Caller = "caller";

    /// <summary>The closed message with the next opening, then a voicemail (when on) or goodbye.</summary>
    public const string Closed = "closed";

    /// <summary>The voicemail prompt and its recording (<c>MiniCC:Voicemail</c> must be on).</summary>
    public const string Voicemail = "voicemail";

    /// <summary>A callback request: confirm or key in the number (<c>MiniCC:Callbacks:CallerId</c> must be set).</summary>
    public const string Callback = "callback";

    /// <summary>Say <see cref="MenuNode.Say"/>, then connect the caller to <see cref="MenuNode.Number"/> (<c>&lt;Dial&gt;</c>).</summary>
    public const string Dial = "dial";

    /// <summary>From here on, the call speaks <see cref="MenuNode.Language"/>; then <see cref="MenuNode.Next"/>.</summary>
    public const string Language = "language";

    public static readonly IReadOnlyList<string> All = [Menu, Say, Queue, Information, Hangup, Hours, Caller, Closed, Voicemail, Callback, Dial, Language];
}

/// <summary>One node of the menu. Which properties count depends on <see cref="Type"/> (<see cref="MenuNodeTypes"/>).</summary>
public sealed class MenuNode
{
    public string Type { get; set; } = "";

    /// <summary>What is said (or played) on entering the node, in order.</summary>
    public List<MenuText> Say { get; set; } = [];

    /// <summary>menu: said before <see cref="Say"/> the first time only (a welcome).</summary>
    public List<MenuText> Greeting { get; set; } = [];

    /// <summary>menu: said before <see cref="Say"/> after a key (or words) that chose nothing.</summary>
    public List<MenuText> Retry { get; set; } = [];

    /// <summary>menu: the choices.</summary>
    public List<MenuOption> Options { get; set; } = [];

    /// <summary>menu: seconds of silence before <see cref="NoInput"/> (empty: <c>MiniCC:Voice:MenuTimeoutSeconds</c>).</summary>
    public int? TimeoutSeconds { get; set; }

    /// <summary>menu: where silence leads; empty: the menu again (with <see cref="Retry"/>).</summary>
    public string? NoInput { get; set; }

    /// <summary>menu: where a wrong key leads after <see cref="MaxRetries"/> of them; empty: the menu again, as often as the caller tries.</summary>
    public string? Invalid { get; set; }

    /// <summary>menu: how many wrong keys re-prompt before <see cref="Invalid"/> (0: no limit).</summary>
    public int MaxRetries { get; set; }

    /// <summary>menu: the caller may also say an option's <see cref="MenuOption.Words"/> (<c>&lt;Gather input="dtmf speech"&gt;</c>).</summary>
    public bool Speech { get; set; }

    /// <summary>menu with speech: recognised words below this confidence (0–1) choose nothing.</summary>
    public double MinConfidence { get; set; } = 0.5;

    /// <summary>say, language: the node after this one.</summary>
    public string? Next { get; set; }

    /// <summary>queue: the queue's name (empty: <c>MiniCC:Voice:QueueName</c>).</summary>
    public string? Queue { get; set; }

    /// <summary>hours: where a call goes while open.</summary>
    public string? Open { get; set; }

    /// <summary>hours: where a call goes while closed.</summary>
    public string? Closed { get; set; }

    /// <summary>caller: the numbers (E.164, as Twilio sends <c>From</c>) that go to <see cref="Listed"/>.</summary>
    public List<string> Numbers { get; set; } = [];

    /// <summary>caller: where a call from one of <see cref="Numbers"/> goes.</summary>
    public string? Listed { get; set; }

    /// <summary>caller: where every other call goes (an anonymous one too).</summary>
    public string? Others { get; set; }

    /// <summary>dial: the E.164 number the caller is connected to.</summary>
    public string? Number { get; set; }

    /// <summary>language: <c>ja-JP</c> or <c>en-US</c>.</summary>
    public string? Language { get; set; }
}

/// <summary>A choice of a menu node: a key, the words that choose it by speech, and the node it leads to.</summary>
public sealed class MenuOption
{
    /// <summary>One DTMF key: 0–9, * or #.</summary>
    public string Key { get; set; } = "";

    /// <summary>Language (<c>ja-JP</c>, <c>en-US</c>) → the words that choose this option when spoken.</summary>
    public Dictionary<string, List<string>> Words { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The node this option leads to.</summary>
    public string Next { get; set; } = "";

    /// <summary>What the history and the reports record as the caller's menu choice (<c>calls.ivr_choice</c>); empty: <see cref="Next"/>.</summary>
    public string? Choice { get; set; }
}

/// <summary>
/// One thing said or played: a text per language (<see cref="Ja"/>, <see cref="En"/>), an audio URL (<see cref="AudioUrl"/>,
/// the same in every language), or one of the center's prompts by name (<see cref="Prompt"/>: a <c>MiniCC:Prompts</c> key
/// such as <c>Welcome</c>, in the call's language, as configured there).
/// </summary>
public sealed class MenuText
{
    public string? Ja { get; set; }

    public string? En { get; set; }

    public string? AudioUrl { get; set; }

    public string? Prompt { get; set; }
}
