using System.Collections;
using System.Reflection;

namespace MiniCC.Settings;

/// <summary>What a key holds: one value, a list (<c>Key:0</c>, <c>Key:1</c>, …), or a group of further keys.</summary>
public enum SettingShape
{
    Value,
    List,
    Group,
}

/// <summary>
/// One configuration key MiniCC reads, e.g. <c>MiniCC:PinLockout:MaxFailures</c>: an <see cref="int"/> that binding
/// <c>VoiceOptions</c> to its <see cref="Section"/> (<c>MiniCC</c>) reads.
/// </summary>
public sealed record SettingKey(string Path, Type Type, SettingShape Shape, Type Options, string Section);

/// <summary>
/// Every key MiniCC reads, found in the options classes themselves (their public settable properties, as the
/// configuration binder finds them), so that the list cannot drift from the code. It answers what the binder
/// never says: a key that no setting reads (a typo keeps the default without a word), a value that is not of the
/// setting's type (the binder would throw with a stack trace), and a value given to a list or a group (ignored).
/// </summary>
public sealed class SettingKeys
{
    private readonly Dictionary<string, SettingKey> _byPath = new(StringComparer.OrdinalIgnoreCase);

    private SettingKeys()
    {
    }

    /// <summary>Every key, in the order of the options classes and their properties.</summary>
    public IReadOnlyList<SettingKey> All { get; private set; } = [];

    /// <summary>The keys read from <paramref name="sections"/>: each options type bound to its configuration section.</summary>
    public static SettingKeys Of(IEnumerable<(string Section, Type Options)> sections)
    {
        ArgumentNullException.ThrowIfNull(sections);
        var keys = new SettingKeys();
        var all = new List<SettingKey>();
        foreach (var (section, options) in sections)
        {
            var parts = section.Split(':');
            for (var i = 1; i <= parts.Length; i++)
            {
                keys.Add(all, new SettingKey(string.Join(':', parts[..i]), options, SettingShape.Group, options, section));
            }

            keys.AddProperties(all, new SettingKey(section, options, SettingShape.Group, options, section));
        }

        keys.All = all;
        return keys;
    }

    public SettingKey? Find(string path) => _byPath.GetValueOrDefault(path);

    /// <summary>The keys that binding <paramref name="options"/> reads.</summary>
    public IEnumerable<SettingKey> ReadBy(Type options) => All.Where(k => k.Options == options);

    /// <summary>
    /// What is wrong with the configured values of these keys, one sentence each naming the key: a value that
    /// does not convert to the setting's type (an empty one included: the binder does not take it for "not set"),
    /// or a value given to a list or a group (the binder would ignore it). An empty list or group is fine.
    /// </summary>
    public static IEnumerable<string> ValueProblems(IConfiguration configuration, IEnumerable<SettingKey> keys)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(keys);
        foreach (var key in keys)
        {
            var value = configuration[key.Path];
            if (value is null || (value.Length == 0 && key.Shape != SettingShape.Value))
            {
                continue;
            }

            if (key.Shape == SettingShape.List)
            {
                yield return $"{key.Path} is a list, not one value: set {key.Path}:0, {key.Path}:1, … " +
                             $"(environment {Environment(key.Path)}__0, …).";
            }
            else if (key.Shape == SettingShape.Group)
            {
                yield return $"{key.Path} is a group of settings, not a value: set {key.Path}:<name> (see the README's Settings).";
            }
            else if (!Converts(configuration, key))
            {
                yield return value.Length == 0
                    ? $"{key.Path} is empty; give {Kind(key.Type)}, or leave it out for the default."
                    : $"{key.Path} is {Quote(value)}; it must be {Kind(key.Type)}.";
            }
        }
    }

    /// <summary>
    /// The configured keys under <paramref name="root"/> that no setting reads, each with the nearest key that one
    /// does. Only leaves are looked at (a key with keys below it is their group), so a typo is named once.
    /// </summary>
    public IEnumerable<string> UnknownKeyProblems(IConfiguration configuration, string root)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var (path, _) in configuration.GetSection(root).AsEnumerable())
        {
            if (path.Equals(root, StringComparison.OrdinalIgnoreCase) || configuration.GetSection(path).GetChildren().Any())
            {
                continue;
            }

            if (Find(path) is not null)
            {
                continue;
            }

            if (ListOf(path) is not { } list)
            {
                yield return $"{path} is not a setting; did you mean {Nearest(path)}?";
            }
            else if (ItemKeyProblem(list, path) is { } problem)
            {
                yield return problem;
            }
        }
    }

    /// <summary>The list <paramref name="path"/> is an item of, or a key within an item of (<c>MiniCC:Desk:Dispositions:0:Ja</c>).</summary>
    private SettingKey? ListOf(string path)
    {
        for (var end = path.LastIndexOf(':'); end > 0; end = path.LastIndexOf(':', end - 1))
        {
            if (Find(path[..end]) is { Shape: SettingShape.List } list)
            {
                return list;
            }
        }

        return null;
    }

    /// <summary>
    /// Whether <paramref name="path"/> is a key the items of <paramref name="list"/> have: <c>MiniCC:Queues:0:HoldMusicUrll</c>
    /// is not (the binder would skip it, and the queue keep Twilio's hold music without a word). The list's own
    /// validator checks the items' values; a dictionary (the menu's nodes, the opening hours) checks its own keys.
    /// </summary>
    private static string? ItemKeyProblem(SettingKey list, string path)
    {
        var segments = path[(list.Path.Length + 1)..].Split(':');
        var type = list.Type;
        for (var i = 0; i < segments.Length; i++)
        {
            var t = Nullable.GetUnderlyingType(type) ?? type;
            var at = list.Path + ":" + string.Join(':', segments[..(i + 1)]);
            var shape = ShapeOf(t);
            if (shape == SettingShape.Value)
            {
                return $"{at[..at.LastIndexOf(':')]} is one value; it has no {segments[i]}.";
            }

            if (t.IsGenericType && t.GetGenericArguments().Length == 2)
            {
                return null;
            }

            if (shape == SettingShape.List)
            {
                if (!int.TryParse(segments[i], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
                {
                    return $"{at} is not an item of the list {at[..at.LastIndexOf(':')]}: number its items from 0.";
                }

                type = t.IsArray ? t.GetElementType()! : t.GetGenericArguments()[0];
                continue;
            }

            var properties = t.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true).ToList();
            var property = properties.Find(p => p.Name.Equals(segments[i], StringComparison.OrdinalIgnoreCase));
            if (property is null)
            {
                var nearest = properties.MinBy(p => EditDistance.Between(segments[i], p.Name))?.Name;
                return $"{at} is not a setting; did you mean {at[..(at.LastIndexOf(':') + 1)]}{nearest}?";
            }

            type = property.PropertyType;
        }

        return null;
    }

    /// <summary>The setting whose key is the fewest letters away from <paramref name="path"/> (ignoring case).</summary>
    public string Nearest(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        return All.Where(k => k.Shape != SettingShape.Group)
            .MinBy(k => EditDistance.Between(path, k.Path))?.Path ?? "";
    }

    /// <summary>An environment variable's name for a key: <c>MiniCC:SignIn:PerClientPerMinute</c> is <c>MiniCC__SignIn__PerClientPerMinute</c>.</summary>
    public static string Environment(string path) => path.Replace(":", "__", StringComparison.Ordinal);

    private void AddProperties(List<SettingKey> all, SettingKey group)
    {
        foreach (var p in group.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (p.GetIndexParameters().Length > 0 || p.GetMethod?.IsPublic != true || p.SetMethod?.IsPublic != true)
            {
                continue;
            }

            var key = group with { Path = $"{group.Path}:{p.Name}", Type = p.PropertyType, Shape = ShapeOf(p.PropertyType) };
            Add(all, key);
            if (key.Shape == SettingShape.Group)
            {
                AddProperties(all, key);
            }
        }
    }

    private void Add(List<SettingKey> all, SettingKey key)
    {
        // A section read by several options types (MiniCC) is one group; a key read by two of them would be a mistake.
        if (_byPath.TryGetValue(key.Path, out var known))
        {
            if (known.Shape == SettingShape.Group && key.Shape == SettingShape.Group)
            {
                return;
            }

            throw new InvalidOperationException($"{key.Path} is read by two options types ({known.Type.Name}, {key.Type.Name}).");
        }

        _byPath.Add(key.Path, key);
        all.Add(key);
    }

    private static SettingShape ShapeOf(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string) || t.IsPrimitive || t.IsEnum || t == typeof(decimal) || t == typeof(TimeSpan) || t == typeof(Uri))
        {
            return SettingShape.Value;
        }

        return typeof(IEnumerable).IsAssignableFrom(t) ? SettingShape.List : SettingShape.Group;
    }

    private static bool Converts(IConfiguration configuration, SettingKey key)
    {
        try
        {
            // The binder's own conversion (invariant culture), so that what passes here binds.
            _ = configuration.GetValue(key.Type, key.Path);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Kind(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(int) || t == typeof(long) => "a whole number",
        var t when t == typeof(double) || t == typeof(decimal) => "a number (with a dot for decimals, e.g. 0.5)",
        var t => "a " + t.Name,
    };

    /// <summary>The value as typed, when it is short and printable; the message stays one line and never carries much.</summary>
    private static string Quote(string value) =>
        value.Length <= 40 && !value.Any(char.IsControl) ? $"'{value}'" : "not of that kind";
}
