using System.Text.Json;
using Microsoft.Playwright;
using MiniCC.Tests.Browser;

namespace MiniCC.Tests.Deploy;

/// <summary>
/// The published MiniCC as a center installs it: started from a directory that is not its own, it finds its wwwroot
/// and the appsettings.json beside it, and its pages' JavaScript works in a real Chromium.
/// </summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class PublishedBinaryTests : IDisposable
{
    private const string Password = "correct horse battery staple";

    /// <summary>The process's working directory (not the binary's), with no settings of the test's own.</summary>
    private readonly Minicc _cli = new();

    public PublishedBinaryTests() => _cli.Environment.Remove("ConnectionStrings__MiniCC");

    public void Dispose() => _cli.Dispose();

    [SkippableFact]
    public async Task StartedFromAnotherDirectoryItServesItsJavaScriptAndReadsTheSettingsBesideIt()
    {
        Skip.IfNot(File.Exists(BrowserSession.ChromiumPath), $"{BrowserSession.ChromiumPath} is not installed (apt-get install chromium): no browser to load the dashboard in.");
        var published = await Published.DirectoryAsync();
        var minicc = Path.Combine(published, "minicc");
        // The settings beside the binary, as an installer writes them: Production, signed webhooks, the database's name.
        await File.WriteAllTextAsync(Path.Combine(published, "appsettings.json"), JsonSerializer.Serialize(new
        {
            ConnectionStrings = new { MiniCC = "Data Source=beside.db" },
            Twilio = new { AuthToken = "published-auth-token" },
            MiniCC = new { Language = "en-US" },
        }));
        var production = new Dictionary<string, string> { ["ASPNETCORE_ENVIRONMENT"] = "Production", ["DOTNET_ENVIRONMENT"] = "Production" };

        var (added, said) = await Published.RunAsync(minicc, _cli.WorkingDirectory, ["users", "add", "admin", "--password-stdin"], production, Password);
        Assert.True(added == 0, said);
        Assert.True(File.Exists(Path.Combine(_cli.WorkingDirectory, "beside.db")), "the verb used another database than appsettings.json's: " + said);

        var port = Minicc.FreePort();
        await using var server = await _cli.StartServerAsync(port, psi =>
        {
            // The published apphost itself, not `dotnet minicc.dll` of the test's build.
            psi.FileName = minicc;
            psi.ArgumentList.RemoveAt(0);
            foreach (var (k, v) in production)
            {
                psi.Environment[k] = v;
            }
        });
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await BrowserSession.LaunchAsync(playwright);
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(90_000);
        var baseUrl = $"http://127.0.0.1:{port}";
        await page.GotoAsync(baseUrl + "/");
        await page.FillAsync("input[name=username]", "admin");
        await page.FillAsync("input[name=password]", Password);
        await page.ClickAsync("button[type=submit]");
        await page.WaitForURLAsync(baseUrl + "/");
        // dashboard.js fills the tiles ("…" until then) and marks the report loaded: only if wwwroot was found.
        await page.WaitForSelectorAsync("#report[data-loaded=true]");
        Assert.Equal("0", await page.TextContentAsync("[data-metric=offered] .value"));
        // (By now the start-up banner has long been printed.)
        Assert.Contains($"SQLite file {Path.Combine(_cli.WorkingDirectory, "beside.db")}", server.Output, StringComparison.Ordinal);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "published-dashboard.png") });
    }
}
