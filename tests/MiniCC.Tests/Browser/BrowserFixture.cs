using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MiniCC.Tests.Browser;

/// <summary>
/// MiniCC on a real loopback socket and Debian's Chromium driven by Playwright. Skips, with the reason,
/// where Chromium is not installed (CI installs it and fails if these tests skip).
/// </summary>
public sealed class BrowserSession : IAsyncDisposable
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;

    private BrowserSession(MiniCCFactory app) => App = app;

    public MiniCCFactory App { get; }

    public IBrowser Browser { get; private set; } = null!;

    public string BaseUrl { get; private set; } = "";

    /// <summary>Where screenshots go: the test output, so that a person can look.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    /// <summary>MiniCC with <paramref name="settings"/>, and Chromium with <paramref name="browserArgs"/> besides the usual.</summary>
    public static async Task<BrowserSession> StartAsync(Dictionary<string, string?>? settings = null, IEnumerable<string>? browserArgs = null)
    {
        Skip.IfNot(File.Exists(ChromiumPath), $"{ChromiumPath} is not installed (apt-get install chromium): no browser to test the pages in.");
        var app = new MiniCCFactory(settings);
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var session = new BrowserSession(app);
        session.BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        session._playwright = await Playwright.CreateAsync();
        session.Browser = await LaunchAsync(session._playwright, browserArgs);
        return session;
    }

    /// <summary>Debian's Chromium, headless, for a MiniCC that runs elsewhere (a published binary; the caller checks <see cref="ChromiumPath"/>).</summary>
    public static async Task<IBrowser> LaunchAsync(IPlaywright playwright, IEnumerable<string>? browserArgs = null)
    {
        ArgumentNullException.ThrowIfNull(playwright);
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage", .. browserArgs ?? []],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
        return browser;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await App.DisposeAsync();
    }
}
