using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniCC.Tests.Voicemail;
using static MiniCC.Tests.Voicemail.Voicemails;

namespace MiniCC.Tests.Browser;

/// <summary>The voicemail page in a real Chromium: the list with its players (the recording streamed through MiniCC), axe-clean, and marking one handled.</summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class VoicemailBrowserTests
{
    [SkippableTheory]
    [InlineData("en-US", "Mark handled")]
    [InlineData("ja-JP", "対応済みにする")]
    public async Task TheListPlaysEachMessageAndOneIsMarkedHandled(string language, string markHandled)
    {
        await using var media = await MediaServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["MiniCC:Language"] = language, ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo", ["Twilio:AccountSid"] = MediaServer.AccountSid,
        };
        for (var i = 0; i < media.Prefixes.Length; i++)
        {
            settings[$"MiniCC:Voicemail:MediaUrlPrefixes:{i}"] = media.Prefixes[i];
        }

        await using var s = await BrowserSession.StartAsync(settings);
        await s.App.Services.GetRequiredService<MiniCC.Security.UserStore>().AddAsync(SignInForm.User, SignInForm.Password, default);
        var older = await s.App.LeaveAsync(media.RecordingUrl(NewRecordingSid()), from: "+819011110001", reason: "closed");
        s.App.Clock.Advance(TimeSpan.FromMinutes(5));
        var newer = await s.App.LeaveAsync(media.RecordingUrl(NewRecordingSid()), from: "+819011110002", reason: "key");

        var (page, csp) = await DashboardBrowserTests.SignInAsync(s, "/voicemails");
        Assert.Equal([$"vm-{newer}", $"vm-{older}"], await page.EvalOnSelectorAllAsync<string[]>("#voicemails tbody tr", "rows => rows.map(r => r.id)"));
        await Axe.AssertCleanAsync(page);

        // The player reads the recording through MiniCC (which adds Twilio's credentials): a second of audio.
        var duration = await page.EvalOnSelectorAsync<double>($"#vm-{newer} audio", """
            audio => new Promise((resolve, reject) => {
                audio.addEventListener('loadedmetadata', () => resolve(audio.duration));
                audio.addEventListener('error', () => reject(new Error('audio error ' + (audio.error && audio.error.code))));
                audio.preload = 'auto';
                audio.load();
            })
            """);
        Assert.InRange(duration, 0.9, 1.1);
        Assert.Contains(media.Requests, r => r.Path.EndsWith(".mp3", StringComparison.Ordinal) && r.Authorization is not null);

        await page.ClickAsync($"#vm-{older} button:has-text('{markHandled}')");
        await page.WaitForSelectorAsync($"#vm-{older}[data-handled=true]");
        Assert.Contains(SignInForm.User, await page.TextContentAsync($"#vm-{older} .handled"), StringComparison.Ordinal);
        Assert.Equal("false", await page.GetAttributeAsync($"#vm-{newer}", "data-handled"));
        Assert.Equal(1, await page.Locator($"#vm-{newer} button").CountAsync());
        Assert.Equal(SignInForm.User, (await s.App.VoicemailStore().FindAsync(older, default))!.HandledBy);
        await Axe.AssertCleanAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"voicemails-{language}.png"), FullPage = true });
        Assert.Empty(csp);
    }
}
