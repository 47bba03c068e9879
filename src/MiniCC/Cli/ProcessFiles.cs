namespace MiniCC.Cli;

/// <summary>
/// Where the <c>minicc</c> process finds its own files. ASP.NET's default content root is the working directory, so a
/// published MiniCC started from anywhere else served no JavaScript (wwwroot is beside the binary) and ignored the
/// appsettings.json beside it; the content root is therefore the binary's directory unless one is named
/// (<c>--contentRoot</c>, <c>ASPNETCORE_CONTENTROOT</c>, <c>DOTNET_CONTENTROOT</c>). A site's settings file
/// (<c>--config FILE</c> or <c>MINICC_CONFIG</c>) is read after appsettings.json and before the environment.
/// </summary>
internal static class ProcessFiles
{
    public const string ConfigVariable = "MINICC_CONFIG";

    private const string ContentRootKey = "contentRoot";

    /// <summary>
    /// The content root as a host argument: none when <paramref name="given"/> names one (WebApplicationFactory does),
    /// else the standard variables' (so the verbs, whose host reads only DOTNET_, agree with the server), else the binary's directory.
    /// </summary>
    public static IEnumerable<string> ContentRoot(IEnumerable<string> given, Func<string, string?> environment)
    {
        if (given.Any(a => a.TrimStart('-', '/').StartsWith(ContentRootKey, StringComparison.OrdinalIgnoreCase)))
        {
            return [];
        }

        var root = environment("ASPNETCORE_CONTENTROOT") is { Length: > 0 } aspnet ? aspnet
            : environment("DOTNET_CONTENTROOT") is { Length: > 0 } dotnet ? dotnet
            : AppContext.BaseDirectory;
        return [$"--{ContentRootKey}={root}"];
    }

    /// <summary>
    /// Adds the site's settings <paramref name="file"/> (if any) where a settings file belongs: after appsettings.json
    /// (MiniCC's defaults, beside the binary) and before the environment variables and the command line, which still win.
    /// </summary>
    public static void AddConfigFile(IConfigurationManager configuration, string? file)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (string.IsNullOrWhiteSpace(file))
        {
            return;
        }

        var path = Path.GetFullPath(file);
        if (!File.Exists(path))
        {
            throw new Storage.StartupException($"--config ({ConfigVariable}): there is no settings file {path}.");
        }

        var sources = configuration.Sources;
        var environment = sources.Select((s, i) => (s, i))
            .LastOrDefault(x => x.s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource { Prefix: null or "" });
        var at = environment.s is null ? sources.Count : environment.i;
        try
        {
            sources.Insert(at, new Microsoft.Extensions.Configuration.Json.JsonConfigurationSource
            {
                Path = Path.GetFileName(path),
                FileProvider = new Microsoft.Extensions.FileProviders.PhysicalFileProvider(Path.GetDirectoryName(path)!),
                Optional = false,
                ReloadOnChange = false,
            });
        }
        catch (InvalidDataException ex)
        {
            throw new Storage.StartupException($"--config ({ConfigVariable}): {path} is not valid JSON: {ex.Message}", ex);
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            // The file holds secrets, so its mode lets few read it (root and the service's group): say so, not a stack trace.
            throw new Storage.StartupException(
                $"--config ({ConfigVariable}): cannot read the settings file {path} as user {Environment.UserName} ({ex.Message}); " +
                "run as the user MiniCC runs as (sudo -u minicc …), or give this user read access.", ex);
        }
    }
}
