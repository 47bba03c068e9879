using MiniCC.Voice;

namespace MiniCC.Menu;

/// <summary>
/// One node as a person reads the menu from its start: how the caller got here (<see cref="Via"/>; none at the start),
/// the node, and where it leads. A node met a second time is not followed again (<see cref="Repeat"/>), so loops end.
/// </summary>
public sealed record MenuOutlineItem(MenuEdge? Via, string Id, MenuNode? Node, bool Repeat, IReadOnlyList<MenuOutlineItem> Children);

/// <summary>The menu as an outline from its start, and the nodes no caller reaches: what <c>minicc menu show</c> prints and the diagram page lists.</summary>
public sealed record MenuOutline(MenuOutlineItem? Root, IReadOnlyList<string> Unreachable)
{
    public static MenuOutline Of(IReadOnlyDictionary<string, MenuNode> nodes, string start)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var root = nodes.ContainsKey(start) ? Item(nodes, null, start, seen) : null;
        return new MenuOutline(root, [.. nodes.Keys.Where(id => !seen.Contains(id))]);
    }

    private static MenuOutlineItem Item(IReadOnlyDictionary<string, MenuNode> nodes, MenuEdge? via, string id, HashSet<string> seen)
    {
        var node = nodes.GetValueOrDefault(id);
        if (node is null || !seen.Add(id))
        {
            return new MenuOutlineItem(via, id, node, node is not null, []);
        }

        return new MenuOutlineItem(via, id, node, false, [.. MenuTree.Edges(node).Select(e => Item(nodes, e, e.Target, seen))]);
    }
}

/// <summary>The first words a caller hears at a node, in one language: its texts, the center's prompts it names, or an audio file's name.</summary>
public sealed class MenuWords(VoiceOptions voice)
{
    /// <summary>What a node of a type that says nothing of its own plays (the product information, the closed message, the voicemail prompt).</summary>
    private static readonly Dictionary<string, string> Implied = new(StringComparer.Ordinal)
    {
        [MenuNodeTypes.Information] = nameof(PromptSet.Information),
        [MenuNodeTypes.Closed] = nameof(PromptSet.Closed),
        [MenuNodeTypes.Voicemail] = nameof(PromptSet.VoicemailPrompt),
        [MenuNodeTypes.Callback] = nameof(PromptSet.CallbackConfirm),
    };

    /// <summary>
    /// The start of what <paramref name="node"/> says (its Say, else its Greeting), at most <paramref name="width"/>
    /// columns wide (a Japanese character takes two, as on a terminal); empty when it says nothing.
    /// </summary>
    public string First(MenuNode node, string language, int width = 80)
    {
        ArgumentNullException.ThrowIfNull(node);
        var text = node.Say.Concat(node.Greeting).Select(t => Words(t, language)).FirstOrDefault(w => w.Length > 0)
                   ?? (Implied.TryGetValue(node.Type, out var prompt) ? Prompt(prompt, language) : "");
        text = text.ReplaceLineEndings(" ").Trim();
        if (text.Sum(Columns) <= width)
        {
            return text;
        }

        var used = 0;
        var fits = text.TakeWhile(c => (used += Columns(c)) <= width - 1).Count();
        return text[..fits].TrimEnd() + "…";
    }

    /// <summary>Wide (two columns): CJK, kana and full-width forms; the rest one.</summary>
    private static int Columns(char c) => c is (>= '\u1100' and <= '\u115F') or (>= '\u2E80' and <= '\uA4CF') or (>= '\uAC00' and <= '\uD7A3')
        or (>= '\uF900' and <= '\uFAFF') or (>= '\uFE30' and <= '\uFE4F') or (>= '\uFF00' and <= '\uFF60') or (>= '\uFFE0' and <= '\uFFE6') ? 2 : 1;

    private string Words(MenuText text, string language) => text switch
    {
        { Prompt: { } name } => Prompt(name, language),
        { AudioUrl: { } url } => "♪ " + (Uri.TryCreate(url, UriKind.Absolute, out var u) ? Path.GetFileName(u.AbsolutePath) : url),
        _ => (language == "en-US" ? text.En ?? text.Ja : text.Ja ?? text.En) ?? "",
    };

    /// <summary>A prompt as it is said in <paramref name="language"/>: with the settings' overrides in the center's own language.</summary>
    private string Prompt(string name, string language)
    {
        var set = language == voice.Language ? PromptSet.From(voice) : PromptSet.Find(language) ?? PromptSet.From(voice);
        return typeof(PromptSet).GetProperty(name)?.GetValue(set) as string ?? "";
    }
}
