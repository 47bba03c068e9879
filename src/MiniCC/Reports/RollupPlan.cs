using System.Globalization;
using System.Text;
using Dapper;

namespace MiniCC.Reports;

/// <summary>A half-open range [From, To) of slots, or of Unix milliseconds.</summary>
internal readonly record struct SlotRange(long From, long To);

/// <summary>
/// Which parts of a report's range [from, to) are read from which rollup level, and which from the history itself.
/// The range is covered by the coarsest slots of <c>levels</c> (their lengths in milliseconds, coarsest first, each a
/// multiple of the next) that lie wholly inside it and contain no dirty hour, then by the next level, and so on; what
/// is left (the edges finer than the finest level, and the dirty hours) is read from the history.
/// </summary>
internal sealed class RollupPlan
{
    private readonly long[] _levels;
    private readonly SortedSet<long> _dirtyHours;
    private readonly List<SlotRange>[] _slots;
    private readonly List<SlotRange> _history = [];

    private RollupPlan(long[] levels, SortedSet<long> dirtyHours)
    {
        _levels = levels;
        _dirtyHours = dirtyHours;
        _slots = [.. levels.Select(_ => new List<SlotRange>())];
    }

    /// <summary>The ranges of slots read from each level (in the order of the levels given).</summary>
    public IReadOnlyList<IReadOnlyList<SlotRange>> Slots => _slots;

    /// <summary>The ranges of milliseconds read from the history.</summary>
    public IReadOnlyList<SlotRange> History => _history;

    /// <summary>Plans [<paramref name="from"/>, <paramref name="to"/>); <paramref name="dirtyHours"/> null reads it all from the history.</summary>
    public static RollupPlan Of(long from, long to, SortedSet<long>? dirtyHours, params long[] levels)
    {
        var plan = dirtyHours is null ? new RollupPlan([], []) : new RollupPlan(levels, dirtyHours);
        plan.Cover(from, to, 0);
        return plan;
    }

    private void Cover(long from, long to, int level)
    {
        if (from >= to)
        {
            return;
        }

        if (level == _levels.Length)
        {
            Add(_history, from, to);
            return;
        }

        var size = _levels[level];
        var first = CeilDiv(from, size);
        var end = FloorDiv(to, size);
        if (first >= end)
        {
            Cover(from, to, level + 1);
            return;
        }

        Cover(from, first * size, level + 1);
        for (var slot = first; slot < end; slot++)
        {
            if (Dirty(slot * size, (slot + 1) * size))
            {
                Cover(slot * size, (slot + 1) * size, level + 1);
            }
            else
            {
                Add(_slots[level], slot, slot + 1);
            }
        }

        Cover(end * size, to, level + 1);
    }

    private bool Dirty(long from, long to) =>
        _dirtyHours.Count > 0 && _dirtyHours.GetViewBetween(FloorDiv(from, Rollups.HourMs), CeilDiv(to, Rollups.HourMs) - 1).Count > 0;

    private static void Add(List<SlotRange> ranges, long from, long to)
    {
        if (ranges.Count > 0 && ranges[^1].To == from)
        {
            ranges[^1] = ranges[^1] with { To = to };
        }
        else
        {
            ranges.Add(new SlotRange(from, to));
        }
    }

    internal static long FloorDiv(long a, long b) => (a / b) - ((a % b != 0 && (a < 0) != (b < 0)) ? 1 : 0);

    internal static long CeilDiv(long a, long b) => -FloorDiv(-a, b);

    /// <summary>
    /// <c>(column &gt;= @p0 AND column &lt; @p1 OR …)</c> for <paramref name="ranges"/> (<c>1 = 0</c> for none), with
    /// its parameters added to <paramref name="parameters"/> under names that start with <paramref name="prefix"/>.
    /// <paramref name="span"/> adds <c>span = @pN</c> to every range, each with a parameter of its own: planners search
    /// one index range per OR term only when each term holds the index's leading columns, and SQLite takes a condition
    /// written alike in every term out of the OR (then it reads every row of that span).
    /// </summary>
    public static string Where(string column, IEnumerable<SlotRange> ranges, DynamicParameters parameters, string prefix, int? span = null)
    {
        var sql = new StringBuilder();
        var i = 0;
        foreach (var r in ranges)
        {
            sql.Append(sql.Length == 0 ? "(" : " OR ");
            if (span is { } s)
            {
                sql.Append(CultureInfo.InvariantCulture, $"span = @{Add(s)} AND ");
            }

            sql.Append(CultureInfo.InvariantCulture, $"{column} >= @{Add(r.From)} AND {column} < @{Add(r.To)}");
        }

        return sql.Length == 0 ? "1 = 0" : sql.Append(')').ToString();

        string Add(long value)
        {
            var name = string.Create(CultureInfo.InvariantCulture, $"{prefix}{i++}");
            parameters.Add(name, value);
            return name;
        }
    }
}
