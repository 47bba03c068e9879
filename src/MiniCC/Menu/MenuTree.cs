namespace MiniCC.Menu;

/// <summary>How a caller gets from one node to the next: what an arrow of the diagram is labelled with.</summary>
public enum MenuEdgeKind
{
    /// <summary>A key (or the option's words): <see cref="MenuEdge.Key"/>.</summary>
    Key,

    /// <summary>Silence at a menu.</summary>
    NoInput,

    /// <summary>Wrong keys at a menu, once MaxRetries of them are used up.</summary>
    Invalid,

    /// <summary>An hours node while open.</summary>
    Open,

    /// <summary>An hours node while closed.</summary>
    Closed,

    /// <summary>A caller node, for a number on its list.</summary>
    Listed,

    /// <summary>A caller node, for every other number.</summary>
    Others,

    /// <summary>A say or language node's next node.</summary>
    Next,
}

/// <summary>One arrow of the menu: from a node, by <see cref="Kind"/> (and <see cref="Key"/>), to <see cref="Target"/> (as written; it may name no node).</summary>
public sealed record MenuEdge(MenuEdgeKind Kind, string Target, string? Key = null);

/// <summary>
/// The menu callers hear, read once at start (<c>MiniCC:Menu</c>, the file it names, or the original's) and checked
/// (<see cref="MenuCheck"/>) before the server takes a call: the flow, <c>minicc menu show</c> and the diagram page all
/// read this one.
/// </summary>
public sealed class MenuTree
{
    public MenuTree(MenuOptions tree, string centerLanguage)
    {
        ArgumentNullException.ThrowIfNull(tree);
        Start = tree.Start;
        Nodes = new Dictionary<string, MenuNode>(tree.Nodes, StringComparer.Ordinal);
        Languages = LanguagesOf(tree, centerLanguage);
    }

    /// <summary>The languages MiniCC speaks.</summary>
    public static readonly IReadOnlyList<string> Known = ["ja-JP", "en-US"];

    public string Start { get; }

    public IReadOnlyDictionary<string, MenuNode> Nodes { get; }

    /// <summary>The languages a caller can hear the menu in: the center's (<c>MiniCC:Language</c>) first, then each <c>language</c> node's.</summary>
    public IReadOnlyList<string> Languages { get; }

    /// <summary>The node named <paramref name="id"/>, or null when there is none (a URL from an older menu).</summary>
    public MenuNode? Node(string? id) => id is not null && Nodes.TryGetValue(id, out var node) ? node : null;

    /// <summary>The center's language, then every known language a <c>language</c> node switches to.</summary>
    public static IReadOnlyList<string> LanguagesOf(MenuOptions tree, string centerLanguage)
    {
        ArgumentNullException.ThrowIfNull(tree);
        return [.. tree.Nodes.Values
            .Where(n => n.Type == MenuNodeTypes.Language && Known.Contains(n.Language))
            .Select(n => n.Language!)
            .Prepend(centerLanguage)
            .Distinct(StringComparer.Ordinal)];
    }

    /// <summary>Where a caller can go from <paramref name="node"/>, in the order a person reads them.</summary>
    public static IEnumerable<MenuEdge> Edges(MenuNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        foreach (var option in node.Options)
        {
            yield return new MenuEdge(MenuEdgeKind.Key, option.Next, option.Key);
        }

        foreach (var (kind, target) in new[]
                 {
                     (MenuEdgeKind.NoInput, node.NoInput), (MenuEdgeKind.Invalid, node.Invalid), (MenuEdgeKind.Open, node.Open),
                     (MenuEdgeKind.Closed, node.Closed), (MenuEdgeKind.Listed, node.Listed), (MenuEdgeKind.Others, node.Others), (MenuEdgeKind.Next, node.Next),
                 })
        {
            if (!string.IsNullOrEmpty(target))
            {
                yield return new MenuEdge(kind, target);
            }
        }
    }

    /// <summary>
    /// Whether a call ends (or leaves the menu) at a node of this type: queued, informed, hung up, closed, recorded,
    /// called back or connected. A <c>say</c> without a next node hangs up after speaking.
    /// </summary>
    public static bool IsTerminal(MenuNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        return node.Type is MenuNodeTypes.Queue or MenuNodeTypes.Information or MenuNodeTypes.Hangup or MenuNodeTypes.Closed
            or MenuNodeTypes.Voicemail or MenuNodeTypes.Callback or MenuNodeTypes.Dial
            || (node.Type == MenuNodeTypes.Say && string.IsNullOrEmpty(node.Next));
    }

    /// <summary>Every node a caller can reach from <paramref name="start"/>, in breadth-first order (the diagram's rows follow it).</summary>
    public static IReadOnlyDictionary<string, int> Depths(IReadOnlyDictionary<string, MenuNode> nodes, string start)
    {
        ArgumentNullException.ThrowIfNull(nodes);
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        if (!nodes.ContainsKey(start))
        {
            return depth;
        }

        var queue = new Queue<string>();
        depth[start] = 0;
        queue.Enqueue(start);
        while (queue.TryDequeue(out var id))
        {
            foreach (var edge in Edges(nodes[id]))
            {
                if (nodes.ContainsKey(edge.Target) && depth.TryAdd(edge.Target, depth[id] + 1))
                {
                    queue.Enqueue(edge.Target);
                }
            }
        }

        return depth;
    }
}
