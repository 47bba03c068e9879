using System.Globalization;
using System.Reflection;
using MiniCC.Operators;
using MiniCC.Voice;

namespace MiniCC.Menu;

/// <summary>The checks of one node on its own (<see cref="MenuCheck"/> does those of the whole tree).</summary>
internal static class MenuNodeCheck
{
    /// <summary>The properties each type reads; any other that is set would be ignored without a word, so it is refused.</summary>
    private static readonly Dictionary<string, string[]> Reads = new(StringComparer.Ordinal)
    {
        [MenuNodeTypes.Menu] = [nameof(MenuNode.Say), nameof(MenuNode.Greeting), nameof(MenuNode.Retry), nameof(MenuNode.Options),
            nameof(MenuNode.TimeoutSeconds), nameof(MenuNode.NoInput), nameof(MenuNode.Invalid), nameof(MenuNode.MaxRetries),
            nameof(MenuNode.Speech), nameof(MenuNode.MinConfidence)],
        [MenuNodeTypes.Say] = [nameof(MenuNode.Say), nameof(MenuNode.Next)],
        [MenuNodeTypes.Queue] = [nameof(MenuNode.Say), nameof(MenuNode.Queue)],
        [MenuNodeTypes.Information] = [],
        [MenuNodeTypes.Hangup] = [nameof(MenuNode.Say)],
        [MenuNodeTypes.Hours] = [nameof(MenuNode.Open), nameof(MenuNode.Closed)],
        [MenuNodeTypes.Caller] = [nameof(MenuNode.Numbers), nameof(MenuNode.Listed), nameof(MenuNode.Others)],
        [MenuNodeTypes.Closed] = [],
        [MenuNodeTypes.Voicemail] = [],
        [MenuNodeTypes.Callback] = [],
        [MenuNodeTypes.Dial] = [nameof(MenuNode.Say), nameof(MenuNode.Number)],
        [MenuNodeTypes.Language] = [nameof(MenuNode.Language), nameof(MenuNode.Next)],
    };

    /// <summary>The names a <see cref="MenuText.Prompt"/> may give: the center's prompts (<c>MiniCC:Prompts</c>).</summary>
    internal static readonly IReadOnlySet<string> PromptNames = typeof(PromptTexts)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.PropertyType == typeof(string)).Select(p => p.Name)
        .ToHashSet(StringComparer.Ordinal);

    private static readonly string[] Keys = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "#"];

    public static void Check(string at, MenuNode node, IReadOnlyList<string> languages, MenuCheckContext context, List<string> found)
    {
        var reads = Reads[node.Type];
        foreach (var set in SetProperties(node).Where(p => !reads.Contains(p)))
        {
            found.Add($"{at}: a {node.Type} node has no {set}; remove it (it would be ignored).");
        }

        foreach (var (name, texts) in new[] { (nameof(node.Say), node.Say), (nameof(node.Greeting), node.Greeting), (nameof(node.Retry), node.Retry) })
        {
            for (var i = 0; i < texts.Count; i++)
            {
                Text($"{at}, {name} {i + 1}", texts[i], languages, found);
            }
        }

        switch (node.Type)
        {
            case MenuNodeTypes.Menu:
                Menu(at, node, languages, found);
                break;
            case MenuNodeTypes.Say when node.Say.Count == 0:
                found.Add($"{at}: a say node must say something (Say).");
                break;
            case MenuNodeTypes.Hours:
                Required(at, node.Type, nameof(node.Open), node.Open, found);
                Required(at, node.Type, nameof(node.Closed), node.Closed, found);
                break;
            case MenuNodeTypes.Caller:
                Required(at, node.Type, nameof(node.Listed), node.Listed, found);
                Required(at, node.Type, nameof(node.Others), node.Others, found);
                found.AddRange(node.Numbers.Count == 0 ? [$"{at}: a caller node has no Numbers; list the numbers that go to Listed."] : []);
                found.AddRange(node.Numbers.Where(n => !PhoneNumber.IsE164(n)).Select(n => $"{at}: the number '{n}' must be an E.164 number such as +819012345678."));
                break;
            case MenuNodeTypes.Dial:
                found.AddRange(PhoneNumber.IsE164(node.Number) ? [] :
                    [$"{at}: the Number '{node.Number}' must be an E.164 number such as +81312345678."]);
                break;
            case MenuNodeTypes.Language:
                found.AddRange(MenuTree.Known.Contains(node.Language) ? [] :
                    [$"{at}: the Language '{node.Language}' must be one of {string.Join(", ", MenuTree.Known)}."]);
                Required(at, node.Type, nameof(node.Next), node.Next, found);
                break;
            case MenuNodeTypes.Queue when node.Queue is not null && !context.Queues.Contains(node.Queue):
                found.Add($"{at}: the Queue '{node.Queue}' is not one of the center's queues ({string.Join(", ", context.Queues)}); name one of MiniCC:Queues, or leave it out for the first.");
                break;
            case MenuNodeTypes.Voicemail when !context.VoicemailEnabled:
                found.Add($"{at}: a voicemail node needs voicemail on, but MiniCC:Voicemail:Enabled is false.");
                break;
            case MenuNodeTypes.Callback when !context.CallbacksEnabled:
                found.Add($"{at}: a callback node needs callbacks on, but MiniCC:Callbacks:CallerId is empty.");
                break;
        }
    }

    private static void Menu(string at, MenuNode node, IReadOnlyList<string> languages, List<string> found)
    {
        var c = CultureInfo.InvariantCulture;
        if (node.Options.Count == 0)
        {
            found.Add($"{at}: a menu has no options; give it at least one (Options).");
        }

        if (node.TimeoutSeconds is < 1 or > 60)
        {
            found.Add(string.Create(c, $"{at}: TimeoutSeconds is {node.TimeoutSeconds}; it must be 1 to 60."));
        }

        if (node.MaxRetries is < 0 or > 10)
        {
            found.Add(string.Create(c, $"{at}: MaxRetries is {node.MaxRetries}; it must be 0 (no limit) to 10."));
        }

        if (node.MinConfidence is not (>= 0 and <= 1))
        {
            found.Add(string.Create(c, $"{at}: MinConfidence is {node.MinConfidence}; it must be 0 to 1."));
        }

        if (!string.IsNullOrEmpty(node.Invalid) && node.MaxRetries == 0)
        {
            found.Add($"{at}: Invalid is set but MaxRetries is 0 (wrong keys re-prompt without limit), so it is never used; set MaxRetries.");
        }
        else if (string.IsNullOrEmpty(node.Invalid) && node.MaxRetries > 0)
        {
            found.Add($"{at}: MaxRetries is set but Invalid is not; name the node wrong keys lead to.");
        }

        foreach (var key in node.Options.GroupBy(o => o.Key).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            found.Add($"{at}: the key '{key}' is used twice; each option needs a key of its own.");
        }

        foreach (var option in node.Options)
        {
            Option($"{at}, option {option.Key}", node, option, found);
        }

        foreach (var (language, words) in node.Options.SelectMany(o => o.Words.SelectMany(w => w.Value.Select(v => (w.Key, v.Trim().ToLowerInvariant()))))
                     .GroupBy(w => w).Where(g => g.Count() > 1).Select(g => g.Key))
        {
            found.Add($"{at}: the words '{words}' ({language}) choose two options; each option needs words of its own.");
        }

        foreach (var language in node.Speech ? languages : [])
        {
            if (!node.Options.Any(o => o.Words.TryGetValue(language, out var w) && w.Count > 0))
            {
                found.Add($"{at}: the menu takes speech but no option has Words in {language}, a language the menu is heard in.");
            }
        }
    }

    private static void Option(string at, MenuNode menu, MenuOption option, List<string> found)
    {
        if (!Keys.Contains(option.Key))
        {
            found.Add($"{at}: the key '{option.Key}' must be one of 0-9, * or #.");
        }

        if (string.IsNullOrEmpty(option.Next))
        {
            found.Add($"{at}: the option leads nowhere; name its node (Next).");
        }

        if (option.Choice is not null && !MenuCheck.Id().IsMatch(option.Choice))
        {
            found.Add($"{at}: the Choice '{option.Choice}' must be 1 to 20 lower-case letters, digits or hyphens (it is recorded in the history).");
        }

        if (option.Words.Count > 0 && !menu.Speech)
        {
            found.Add($"{at}: Words are set but the menu does not take speech; set Speech to true, or remove them.");
        }

        // Twilio takes the words as hints, separated by commas, each at most 100 characters.
        foreach (var word in option.Words.Values.SelectMany(w => w).Where(w => string.IsNullOrWhiteSpace(w) || w.Contains(',', StringComparison.Ordinal) || w.Length > 100))
        {
            found.Add($"{at}: the words '{word}' must be 1 to 100 characters without a comma (Twilio takes them as hints).");
        }

        foreach (var language in option.Words.Keys.Where(l => !MenuTree.Known.Contains(l)))
        {
            found.Add($"{at}: Words are in '{language}'; the language must be one of {string.Join(", ", MenuTree.Known)}.");
        }
    }

    private static void Text(string at, MenuText text, IReadOnlyList<string> languages, List<string> found)
    {
        var texts = text.Ja is not null || text.En is not null;
        var kinds = (texts ? 1 : 0) + (text.AudioUrl is null ? 0 : 1) + (text.Prompt is null ? 0 : 1);
        if (kinds != 1)
        {
            found.Add($"{at}: give exactly one of a text (Ja, En), an AudioUrl or a Prompt.");
            return;
        }

        if (text.Prompt is not null && !PromptNames.Contains(text.Prompt))
        {
            found.Add($"{at}: the Prompt '{text.Prompt}' is no prompt; use a MiniCC:Prompts name such as Welcome, Menu or Connecting.");
        }

        if (text.AudioUrl is not null && !(Uri.TryCreate(text.AudioUrl, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"))
        {
            found.Add($"{at}: the AudioUrl must be an absolute http(s) URL.");
        }

        foreach (var language in texts ? languages : [])
        {
            if (string.IsNullOrWhiteSpace(language == "ja-JP" ? text.Ja : text.En))
            {
                found.Add($"{at}: the text in {language} is missing ({(language == "ja-JP" ? "Ja" : "En")}); the menu is heard in {string.Join(" and ", languages)}.");
            }
        }
    }

    private static void Required(string at, string type, string name, string? value, List<string> found)
    {
        if (string.IsNullOrEmpty(value))
        {
            found.Add($"{at}: a {type} node needs {name}.");
        }
    }

    /// <summary>The properties of <paramref name="node"/> that differ from a fresh node's.</summary>
    private static IEnumerable<string> SetProperties(MenuNode node)
    {
        var fresh = new MenuNode();
        return new (string Name, bool Set)[]
        {
            (nameof(node.Say), node.Say.Count > 0), (nameof(node.Greeting), node.Greeting.Count > 0), (nameof(node.Retry), node.Retry.Count > 0),
            (nameof(node.Options), node.Options.Count > 0), (nameof(node.TimeoutSeconds), node.TimeoutSeconds is not null),
            (nameof(node.NoInput), node.NoInput is not null), (nameof(node.Invalid), node.Invalid is not null),
            (nameof(node.MaxRetries), node.MaxRetries != fresh.MaxRetries), (nameof(node.Speech), node.Speech != fresh.Speech),
            (nameof(node.MinConfidence), !node.MinConfidence.Equals(fresh.MinConfidence)), (nameof(node.Next), node.Next is not null),
            (nameof(node.Queue), node.Queue is not null), (nameof(node.Open), node.Open is not null), (nameof(node.Closed), node.Closed is not null),
            (nameof(node.Number), node.Number is not null), (nameof(node.Language), node.Language is not null),
            (nameof(node.Numbers), node.Numbers.Count > 0), (nameof(node.Listed), node.Listed is not null), (nameof(node.Others), node.Others is not null),
        }.Where(p => p.Set).Select(p => p.Name);
    }
}
