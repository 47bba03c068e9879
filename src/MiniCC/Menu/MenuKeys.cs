using System.Collections;
using System.Reflection;

namespace MiniCC.Menu;

/// <summary>
/// The keys of a menu that the binder would ignore or choke on: a misspelt property (<c>Nxt</c>: the option would lead
/// nowhere without a word), a value where a group belongs, a value that is not of the property's type. Checked before
/// binding, so that each is a sentence naming the key rather than a stack trace or a silently ignored line.
/// </summary>
internal static class MenuKeys
{
    /// <summary>What is wrong with the keys below <paramref name="configuration"/> (a section, or a whole file) read as <paramref name="type"/>.</summary>
    public static IEnumerable<string> Problems(IConfiguration configuration, Type type)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var (value, collection, item) = Kind(type);
        var section = configuration as IConfigurationSection;
        if (value)
        {
            if (configuration.GetChildren().Any())
            {
                yield return $"{section?.Path} is one value, not a group.";
            }
            else if (section is not null && !Converts(section, type))
            {
                yield return $"{section.Path} is '{section.Value}'; it must be {Expected(type)}.";
            }

            yield break;
        }

        if (section?.Value is { Length: > 0 })
        {
            yield return $"{section.Path} is a group, not one value.";
            yield break;
        }

        foreach (var child in configuration.GetChildren())
        {
            if (collection && IsList(type) && !int.TryParse(child.Key, out _))
            {
                yield return $"{child.Path}: {section?.Key} is a list; in JSON write it as [ … ].";
                continue;
            }

            var property = collection ? null : type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (!collection && property?.SetMethod is not { IsPublic: true })
            {
                var names = type.GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(p => p.SetMethod?.IsPublic == true).Select(p => p.Name);
                yield return $"{child.Path} is not a property of {Noun(type)}; did you mean {names.MinBy(n => EditDistance.Between(n, child.Key))}?";
                continue;
            }

            foreach (var problem in Problems(child, collection ? item! : property!.PropertyType))
            {
                yield return problem;
            }
        }
    }

    private static bool IsList(Type type) => type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>);

    /// <summary>Whether a type holds one value, or is a list or dictionary (and of what).</summary>
    private static (bool Value, bool Collection, Type? Item) Kind(Type type)
    {
        var t = Nullable.GetUnderlyingType(type) ?? type;
        if (t == typeof(string) || t.IsPrimitive)
        {
            return (true, false, null);
        }

        if (t.IsGenericType && typeof(IEnumerable).IsAssignableFrom(t))
        {
            return (false, true, t.GetGenericArguments()[^1]);
        }

        return (false, false, null);
    }

    private static bool Converts(IConfigurationSection value, Type type)
    {
        try
        {
            // The binder's own conversion, so that what passes here binds.
            _ = value.Get(type);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private static string Noun(Type type) => type == typeof(MenuOptions) ? "a menu file" : type == typeof(MenuNode) ? "a node"
        : type == typeof(MenuOption) ? "an option" : "a text";

    private static string Expected(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(bool) => "true or false",
        var t when t == typeof(int) => "a whole number",
        var t when t == typeof(double) => "a number (with a dot for decimals, e.g. 0.5)",
        var t => "a " + t.Name,
    };
}
