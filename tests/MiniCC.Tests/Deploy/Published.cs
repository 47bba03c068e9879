using System.Diagnostics;
using System.Text;

namespace MiniCC.Tests.Deploy;

/// <summary>
/// MiniCC as it leaves the build: <c>dotnet publish</c> and <c>dotnet pack</c> of the build these tests run against
/// (<c>--no-build</c>, the same configuration: seconds, not a second build), each once per test run, into a directory
/// of its own. The published framework-dependent build is run as <c>minicc</c> (its apphost) from other directories.
/// </summary>
internal static class Published
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static readonly string Root = Directory.CreateTempSubdirectory("minicc-published-").FullName;

    private static readonly Lazy<Task<string>> Publish = new(() => DotnetAsync("publish", Path.Combine(Root, "publish")));

    private static readonly Lazy<Task<string>> Pack = new(() => DotnetAsync("pack", Path.Combine(Root, "packages")));

    /// <summary>The directory holding the published <c>minicc</c>, its wwwroot and its appsettings.json.</summary>
    public static Task<string> DirectoryAsync() => Publish.Value;

    /// <summary>A directory holding MiniCC's tool package (minicc.1.0.0.nupkg), a package source for <c>dotnet tool install</c>.</summary>
    public static Task<string> PackageSourceAsync() => Pack.Value;

    public static string ProjectDirectory => Path.Combine(Settings.SettingsListTests.RepositoryRoot(), "src", "MiniCC");

    private static async Task<string> DotnetAsync(string verb, string output)
    {
        await RunToSuccessAsync("dotnet", Root, [verb, ProjectDirectory, "-c", Configuration, "--no-build", "-o", output]);
        return output;
    }

    /// <summary>As <see cref="RunAsync"/>, and the command must succeed (exit 0); returns all it printed.</summary>
    public static async Task<string> RunToSuccessAsync(string file, string workingDirectory, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null, TimeSpan? bound = null)
    {
        var list = args.ToList();
        var (exitCode, text) = await RunAsync(file, workingDirectory, list, environment, input, bound);
        Assert.True(exitCode == 0, $"{file} {string.Join(' ', list)} exited with {exitCode}:\n{text}");
        return text;
    }

    /// <summary>Runs <paramref name="file"/> to its exit (bounded), with standard input closed; returns its exit code and all it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string file, string workingDirectory, IEnumerable<string> args,
        IReadOnlyDictionary<string, string>? environment = null, string? input = null, TimeSpan? bound = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        foreach (var (k, v) in environment ?? new Dictionary<string, string>())
        {
            psi.Environment[k] = v;
        }

        using var process = Process.Start(psi)!;
        await process.StandardInput.WriteAsync(input ?? "");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A bound, not a timing: on a loaded 2-core machine a publish that takes 6 s alone can take minutes.
        using var timeout = new CancellationTokenSource(bound ?? TimeSpan.FromMinutes(5));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', psi.ArgumentList)} did not finish");
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
