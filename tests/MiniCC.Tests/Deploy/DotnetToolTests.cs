namespace MiniCC.Tests.Deploy;

/// <summary>
/// <c>minicc</c> on the PATH as a .NET tool: the package <c>dotnet pack</c> makes installs from a local package source
/// alone (no other feed is asked), and the installed command runs the README's examples from any directory.
/// </summary>
public sealed class DotnetToolTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("minicc-tool-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task TheToolInstallsFromALocalPackageAndRunsTheReadmesOperatorsExamplesFromAnywhere()
    {
        var source = await Published.PackageSourceAsync();
        Assert.True(File.Exists(Path.Combine(source, "minicc.1.0.0.nupkg")), string.Join(", ", Directory.GetFiles(source)));
        // Only the local directory: a NuGet.config that clears every other source, as on a machine without internet.
        var nugetConfig = Path.Combine(_root, "NuGet.config");
        await File.WriteAllTextAsync(nugetConfig, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{source}" />
              </packageSources>
            </configuration>
            """);
        var tools = Path.Combine(_root, "tools");
        var (installed, said) = await Published.RunAsync("dotnet", _root, ["tool", "install", "minicc", "--tool-path", tools, "--configfile", nugetConfig]);
        Assert.True(installed == 0, said);

        // The README's commands, as written, from a directory of their own; the settings file names the database.
        var work = Directory.CreateDirectory(Path.Combine(_root, "work")).FullName;
        var settings = Path.Combine(_root, "minicc.json");
        await File.WriteAllTextAsync(settings, """{ "ConnectionStrings": { "MiniCC": "Data Source=tool.db" } }""");
        var environment = new Dictionary<string, string> { ["MINICC_CONFIG"] = settings };
        var minicc = Path.Combine(tools, "minicc");
        var (added, addSaid) = await Published.RunAsync(minicc, work, ["operators", "add", "090-1234-5678", "--name", "Sato"], environment);
        Assert.True(added == 0, addSaid);
        var (listed, list) = await Published.RunAsync(minicc, work, ["operators", "list"], environment);
        Assert.True(listed == 0, list);
        Assert.Contains("+819012345678", list, StringComparison.Ordinal);
        Assert.Contains("Sato", list, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(work, "tool.db")));
    }
}
