using System.Globalization;
using System.Text.RegularExpressions;

namespace MiniCC.Menu;

/// <summary>
/// What the rest of the configuration says that a menu depends on: the center's language (<c>MiniCC:Language</c>),
/// whether voicemail is on (<c>MiniCC:Voicemail:Enabled</c>) and whether callbacks are (<c>MiniCC:Callbacks:CallerId</c>).
/// </summary>
/// <param name="Queues">The center's queues by name (<c>MiniCC:Queues</c>, or the one <c>MiniCC:QueueName</c>); a queue node must name one of them.</param>
public sealed record MenuCheckContext(string Language, bool VoicemailEnabled, bool CallbacksEnabled, IReadOnlyList<string> Queues);

/// <summary>
/// Everything wrong with a menu, one sentence per problem naming the node (and the option) and what to do, so that a
/// manager fixes them all in one go: the server refuses to start with any of them, and <c>minicc menu check</c> lists them.
/// </summary>
public static partial class MenuCheck
{
    public static IReadOnlyList<string> Problems(MenuOptions tree, MenuCheckContext context)
    {
        ArgumentNullException.ThrowIfNull(tree);
        ArgumentNullException.ThrowIfNull(context);
        var found = new List<string>();
        if (string.IsNullOrEmpty(tree.Start))
        {
            found.Add("The menu has no Start: name the node every call begins at.");
        }
        else if (!tree.Nodes.ContainsKey(tree.Start))
        {
            found.Add($"The menu's Start '{tree.Start}' is no node; it must be one of {Names(tree.Nodes.Keys)}.");
        }

        var languages = MenuTree.LanguagesOf(tree, context.Language);
        foreach (var (id, node) in tree.Nodes)
        {
            var at = $"Node '{id}'";
            if (!Id().IsMatch(id))
            {
                found.Add($"{at}: the id must be 1 to 20 lower-case letters, digits or hyphens, beginning with a letter or digit.");
            }

            if (!MenuNodeTypes.All.Contains(node.Type))
            {
                found.Add($"{at}: the type '{node.Type}' is unknown; it must be one of {string.Join(", ", MenuNodeTypes.All)}.");
                continue;
            }

            foreach (var edge in MenuTree.Edges(node).Where(e => e.Target.Length > 0 && !tree.Nodes.ContainsKey(e.Target)))
            {
                found.Add(edge.Kind == MenuEdgeKind.Key
                    ? $"{at}, option {edge.Key}: the target '{edge.Target}' is no node (unknown target)."
                    : $"{at}: {edge.Kind} '{edge.Target}' is no node (unknown target).");
            }

            MenuNodeCheck.Check(at, node, languages, context, found);
        }

        Reachability(tree, found);
        return found;
    }

    /// <summary>A node id or a menu choice: it appears in URLs, in the history and in the reports.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,19}$")]
    internal static partial Regex Id();

    internal static string Names(IEnumerable<string> names) =>
        names.Any() ? string.Join(", ", names.Select(n => $"'{n}'")) : "(none: the menu has no nodes)";

    /// <summary>Unreachable nodes, and loops: nodes from which no path leads to a node where the call ends.</summary>
    private static void Reachability(MenuOptions tree, List<string> found)
    {
        var typed = tree.Nodes.Where(n => MenuNodeTypes.All.Contains(n.Value.Type)).ToDictionary(n => n.Key, n => n.Value, StringComparer.Ordinal);
        if (!typed.ContainsKey(tree.Start))
        {
            return;
        }

        var reached = MenuTree.Depths(typed, tree.Start);
        foreach (var id in typed.Keys.Where(id => !reached.ContainsKey(id)))
        {
            found.Add($"Node '{id}' is unreachable: no path from the Start '{tree.Start}' leads to it. Remove it or add an option that leads to it.");
        }

        // Backwards from the nodes where a call ends: whatever reaches one of them lets the caller out. A node that
        // leads nowhere (a language without Next) is no loop: its own check names what it lacks.
        var leaves = new HashSet<string>(typed.Where(n => MenuTree.IsTerminal(n.Value) || !MenuTree.Edges(n.Value).Any()).Select(n => n.Key), StringComparer.Ordinal);
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var (id, node) in typed)
            {
                if (!leaves.Contains(id) && MenuTree.Edges(node).Any(e => leaves.Contains(e.Target)))
                {
                    grew = leaves.Add(id);
                }
            }
        }

        var trapped = reached.Keys.Where(id => !leaves.Contains(id)).ToList();
        if (trapped.Count > 0)
        {
            found.Add(string.Create(CultureInfo.InvariantCulture,
                $"Nodes {Names(trapped)} form a loop a caller cannot leave: none of them leads to a queue, information, hangup, closed, voicemail, callback, dial or a say without Next. Give one of them a way out."));
        }
    }
}
