namespace MiniCC.Menu;

/// <summary>The menu a center that configures none gets: the original Twilio-MiniCC's, with the opening hours in front.</summary>
public static class MenuDefaults
{
    /// <summary>
    /// Closed: the closed message. Open: welcome, then "1 for an operator, 2 for the product information"; a wrong key
    /// re-prompts (as often as the caller tries); silence (<c>MiniCC:Voice:MenuTimeoutSeconds</c>, 10 s) goes to an
    /// operator. Every text is one of the center's prompts (<c>MiniCC:Prompts</c>), so overriding a prompt still works.
    /// </summary>
    public static MenuOptions Original() => new()
    {
        Start = "start",
        Nodes = new(StringComparer.Ordinal)
        {
            ["start"] = new() { Type = MenuNodeTypes.Hours, Open = "main", Closed = "closed" },
            ["closed"] = new() { Type = MenuNodeTypes.Closed },
            ["main"] = new()
            {
                Type = MenuNodeTypes.Menu,
                Greeting = [Prompt("Welcome")],
                Say = [Prompt("Menu")],
                Retry = [Prompt("Retry")],
                Options =
                [
                    new() { Key = "1", Next = "operator", Choice = "operator" },
                    new() { Key = "2", Next = "information", Choice = "information" },
                ],
                NoInput = "operator-no-input",
            },
            ["operator"] = new() { Type = MenuNodeTypes.Queue, Say = [Prompt("Connecting")] },
            ["operator-no-input"] = new() { Type = MenuNodeTypes.Queue, Say = [Prompt("NoInput")] },
            ["information"] = new() { Type = MenuNodeTypes.Information },
        },
    };

    private static MenuText Prompt(string name) => new() { Prompt = name };
}
