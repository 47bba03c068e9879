using Microsoft.Extensions.Options;

namespace MiniCC.Menu;

/// <summary>
/// Where the menu comes from: the file <c>MiniCC:Menu:File</c> names, the <c>MiniCC:Menu</c> section itself, or, when
/// neither holds nodes, the original's (<see cref="MenuDefaults.Original"/>). A file is read with .NET's own JSON
/// configuration reader, so it is written as appsettings.json is (comments and trailing commas allowed).
/// </summary>
public static class MenuSource
{
    /// <summary>
    /// Fills <paramref name="options"/> (bound from <c>MiniCC:Menu</c>) with the menu it stands for; throws
    /// <see cref="OptionsValidationException"/> naming each key that cannot be read, as the other settings do.
    /// </summary>
    public static void Resolve(MenuOptions options, IConfiguration configuration, string contentRoot)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = MenuKeys.Problems(configuration.GetSection(MenuOptions.Section).GetSection(nameof(options.Nodes)),
            typeof(Dictionary<string, MenuNode>)).ToList();
        if (!string.IsNullOrEmpty(options.File))
        {
            if (options.Nodes.Count > 0 || !string.IsNullOrEmpty(options.Start))
            {
                problems.Add($"{MenuOptions.Section}:File is set, and so is {MenuOptions.Section}:Start or :Nodes; keep the menu in one place (the file, or the settings).");
            }
            else
            {
                var (tree, fileProblems) = Read(Path.Combine(contentRoot, options.File));
                problems.AddRange(fileProblems);
                options.Start = tree?.Start ?? "";
                options.Nodes = tree?.Nodes ?? options.Nodes;
            }
        }
        else if (options.Nodes.Count == 0)
        {
            var original = MenuDefaults.Original();
            options.Start = string.IsNullOrEmpty(options.Start) ? original.Start : options.Start;
            options.Nodes = original.Nodes;
        }

        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Options.DefaultName, typeof(MenuOptions), problems);
        }
    }

    /// <summary>The menu a JSON file holds (<c>{ "Start": …, "Nodes": { … } }</c>), or null and why it cannot be read.</summary>
    public static (MenuOptions? Tree, IReadOnlyList<string> Problems) Read(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var full = Path.GetFullPath(path);
        if (!System.IO.File.Exists(full))
        {
            return (null, [$"The menu file {full} does not exist."]);
        }

        IConfigurationRoot file;
        try
        {
            file = new ConfigurationBuilder().AddJsonFile(full, optional: false, reloadOnChange: false).Build();
        }
        catch (InvalidDataException ex)
        {
            // The JSON reader's own words say where: "… LineNumber: 3 | BytePositionInLine: 12."
            return (null, [$"The menu file {full} is not valid JSON: {Innermost(ex).Message}"]);
        }

        var problems = MenuKeys.Problems(file, typeof(MenuOptions))
            .Select(p => $"The menu file {full}: {p}")
            .Concat(file[nameof(MenuOptions.File)] is null ? [] : [$"The menu file {full}: File belongs in the settings (MiniCC:Menu:File), not in the file."])
            .ToList();
        if (problems.Count > 0)
        {
            return (null, problems);
        }

        var tree = new MenuOptions();
        file.Bind(tree);
        return (tree, []);
    }

    private static Exception Innermost(Exception ex) => ex.InnerException is null ? ex : Innermost(ex.InnerException);
}
