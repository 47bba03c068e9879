namespace MiniCC.Menu;

/// <summary>A node's box in the diagram: its top-left corner; unreachable ones are drawn apart, in the last row.</summary>
public sealed record MenuBox(string Id, MenuNode Node, double X, double Y, bool Unreachable);

/// <summary>
/// An arrow: an SVG path from one box to a box below, and where its label (the keys, "silence", …) sits; or, without
/// a path, a tag under the box for a way back up or across. Several ways from one node to the same next node are one
/// arrow with all their labels.
/// </summary>
public sealed record MenuArrow(string From, string To, IReadOnlyList<MenuEdge> Edges, string? Path, double LabelX, double LabelY);

/// <summary>
/// The menu laid out as a picture a manager reads at a glance: a row per step from the start (breadth first: the
/// first menu, what its keys lead to, what those lead to), arrows downwards, and a tag on the box for a way back
/// up or across (a "back" key, a loop to an earlier menu), which as a line would cross other boxes. Plain numbers: the page draws it as SVG.
/// </summary>
public sealed class MenuDiagram
{
    public const double BoxWidth = 220;
    public const double BoxHeight = 64;
    private const double GapX = 36;
    private const double RowGap = 96;
    private const double Margin = 24;

    private MenuDiagram(IReadOnlyList<MenuBox> boxes, IReadOnlyList<MenuArrow> arrows, double width, double height)
    {
        Boxes = boxes;
        Arrows = arrows;
        Width = width;
        Height = height;
    }

    public IReadOnlyList<MenuBox> Boxes { get; }

    public IReadOnlyList<MenuArrow> Arrows { get; }

    public double Width { get; }

    public double Height { get; }

    public static MenuDiagram Of(MenuTree tree)
    {
        ArgumentNullException.ThrowIfNull(tree);
        var depths = MenuTree.Depths(tree.Nodes, tree.Start);
        var unreachable = tree.Nodes.Keys.Where(id => !depths.ContainsKey(id)).ToList();
        var rows = depths.GroupBy(d => d.Value).OrderBy(g => g.Key).Select(g => g.Select(d => d.Key).ToList()).ToList();
        if (unreachable.Count > 0)
        {
            rows.Add(unreachable);
        }

        var widest = rows.Count == 0 ? 1 : rows.Max(r => r.Count);
        var width = (Margin * 2) + (widest * BoxWidth) + ((widest - 1) * GapX);
        var boxes = new Dictionary<string, MenuBox>(StringComparer.Ordinal);
        for (var r = 0; r < rows.Count; r++)
        {
            var rowWidth = (rows[r].Count * BoxWidth) + ((rows[r].Count - 1) * GapX);
            var left = Margin + (((width - (Margin * 2)) - rowWidth) / 2);
            for (var i = 0; i < rows[r].Count; i++)
            {
                var id = rows[r][i];
                boxes[id] = new MenuBox(id, tree.Nodes[id], left + (i * (BoxWidth + GapX)), Margin + (r * (BoxHeight + RowGap)), !depths.ContainsKey(id));
            }
        }

        var arrows = new List<MenuArrow>();
        foreach (var box in boxes.Values)
        {
            foreach (var group in MenuTree.Edges(box.Node).Where(e => boxes.ContainsKey(e.Target)).GroupBy(e => e.Target))
            {
                arrows.Add(Arrow(box, boxes[group.Key], [.. group], arrows.Count(a => a.From == box.Id && a.Path is not null),
                    arrows.Count(a => a.From == box.Id && a.Path is null)));
            }
        }

        // Below the last row: room for its boxes' tags.
        return new MenuDiagram([.. boxes.Values], arrows, width, Margin + (rows.Count * (BoxHeight + RowGap)) - RowGap + (Margin * 3));
    }

    private static MenuArrow Arrow(MenuBox from, MenuBox to, IReadOnlyList<MenuEdge> edges, int nth, int nthJump)
    {
        static string N(double v) => v.ToString("0.#", System.Globalization.CultureInfo.InvariantCulture);
        if (to.Y > from.Y)
        {
            // Down: bottom centre to top centre; the label halfway, where arrows from one box have already parted.
            double x1 = from.X + (BoxWidth / 2), y1 = from.Y + BoxHeight, x2 = to.X + (BoxWidth / 2), y2 = to.Y;
            var t = 0.5 + (nth % 2 * 0.15);
            return new MenuArrow(from.Id, to.Id, edges, $"M{N(x1)},{N(y1)} L{N(x2)},{N(y2)}", x1 + ((x2 - x1) * t), y1 + ((y2 - y1) * t));
        }

        // Back up or across (a "back" key, silence to a sibling): a line drawn there would cross other boxes, so the
        // box carries a tag naming where it leads, stacked under its right-hand corner.
        return new MenuArrow(from.Id, to.Id, edges, null, from.X + BoxWidth - 4, from.Y + BoxHeight + 16 + (nthJump * 17));
    }
}
