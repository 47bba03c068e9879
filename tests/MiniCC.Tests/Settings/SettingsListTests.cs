using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using MiniCC.Settings;

namespace MiniCC.Tests.Settings;

/// <summary>The README's settings table and appsettings.json against the keys MiniCC reads (found in its options classes).</summary>
public sealed partial class SettingsListTests
{
    private static readonly string[] OutsideTheOptions = ["Database:Provider", "ConnectionStrings:MiniCC"];

    [Fact]
    public void TheReadmeListsEverySettingAndNoOther()
    {
        var listed = ReadmeRows().Select(r => r.Key).ToList();
        var read = MiniCCSettings.Keys.All.Where(k => k.Shape != SettingShape.Group).Select(k => k.Path).Concat(OutsideTheOptions);
        Assert.Empty(read.Except(listed, StringComparer.Ordinal));
        Assert.Empty(listed.Except(read, StringComparer.Ordinal));
        Assert.Equal(listed.Count, listed.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void EveryDefaultTheReadmeStatesIsTheCodesDefault()
    {
        var checkedDefaults = 0;
        foreach (var (key, stated) in ReadmeRows())
        {
            if (MiniCCSettings.Keys.Find(key) is not { Shape: SettingShape.Value } setting || stated is null)
            {
                continue;
            }

            Assert.True(Default(setting) == stated, $"{key}: the README says `{stated}`, the code's default is `{Default(setting)}`");
            checkedDefaults++;
        }

        Assert.True(checkedDefaults >= 20, $"only {checkedDefaults} defaults were compared");
    }

    [Fact]
    public void AppSettingsJsonHoldsOnlySettings()
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryRoot(), "src", "MiniCC", "appsettings.json")));
        var keys = new List<string>();
        Flatten(json.RootElement.GetProperty(MiniCCSettings.Root), MiniCCSettings.Root, keys);
        Assert.NotEmpty(keys);
        Assert.All(keys, k => Assert.NotNull(MiniCCSettings.Keys.Find(k)));
    }

    /// <summary>The first column's keys (a row may name siblings: <c>`MiniCC:BasicAuth:Username` / `Password`</c>) and the default in backticks, if any.</summary>
    private static IEnumerable<(string Key, string? Default)> ReadmeRows()
    {
        var readme = File.ReadAllLines(Path.Combine(RepositoryRoot(), "README.md"));
        var start = Array.IndexOf(readme, "## Settings");
        Assert.True(start >= 0, "the README has a Settings section");
        foreach (var line in readme.Skip(start + 1).TakeWhile(l => !l.StartsWith("## ", StringComparison.Ordinal)).Where(l => l.StartsWith("| `", StringComparison.Ordinal)))
        {
            var cells = line.Split(" | ");
            var stated = Code().Match(cells[1]) is { Success: true } m && Code().Count(cells[1]) == 1 ? m.Groups[1].Value : null;
            string? first = null;
            foreach (Match name in Code().Matches(cells[0]))
            {
                var key = name.Groups[1].Value;
                first ??= key;
                yield return (key.Contains(':', StringComparison.Ordinal) ? key : first[..(first.LastIndexOf(':') + 1)] + key, stated);
            }
        }
    }

    private static string Default(SettingKey setting)
    {
        object? value = Activator.CreateInstance(setting.Options);
        foreach (var name in setting.Path[(setting.Section.Length + 1)..].Split(':'))
        {
            value = value!.GetType().GetProperty(name)!.GetValue(value);
        }

        return value switch
        {
            bool b => b ? "true" : "false",
            IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
            _ => value?.ToString() ?? "",
        };
    }

    private static void Flatten(JsonElement element, string path, List<string> keys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            keys.Add(path);
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            Flatten(property.Value, $"{path}:{property.Name}", keys);
        }
    }

    internal static string RepositoryRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MiniCC.slnx")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MiniCC.slnx not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();
}
