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

            if (Find(path) is null && !InList(path))
            {
                yield return $"{path} is not a setting; did you mean {Nearest(path)}?";
            }
        }
    }

    /// <summary>
    /// Whether <paramref name="path"/> is an item of a list, or a key within an item (<c>MiniCC:Desk:Dispositions:0:Ja</c>):
    /// the list's own validator checks its items, naming the item's keys.
    /// </summary>
    private bool InList(string path)
    {
        for (var end = path.LastIndexOf(':'); end > 0; end = path.LastIndexOf(':', end - 1))
        {
            if (Find(path[..end])?.Shape == SettingShape.List)
            {
                return true;
            }
        }

        return false;
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
