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

    /// <summary>What nothing pressed before the timeout means.</summary>
    public string NoInput { get; init; } = "no-input";

    /// <summary>What any other key means.</summary>
    public string Other { get; init; } = "invalid";

    /// <summary>True when a Gather whose action is <paramref name="actionUrl"/> is this menu.</summary>
    public bool IsMenu(string actionUrl) =>
        Uri.TryCreate(actionUrl, UriKind.Absolute, out var u) && u.AbsolutePath.EndsWith(ActionPath, StringComparison.Ordinal);

    /// <summary>The choice <paramref name="digits"/> make.</summary>
    public string ChoiceOf(string digits) =>
        digits.Length == 0 ? NoInput : Choices.TryGetValue(digits, out var choice) ? choice : Other;
}
