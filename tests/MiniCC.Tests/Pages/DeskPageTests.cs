using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using MiniCC.Tests.Desk;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

/// <summary>
/// The desk page over HTTP: a user who cannot take calls there is told why and what to do (never an error page); an
/// active operator gets the phone, with the Voice SDK from MiniCC itself and a policy that lets it reach only Twilio.
/// </summary>
public sealed partial class DeskPageTests : IDisposable
{
    private readonly List<MiniCCFactory> _apps = [];

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }
    }

    private MiniCCFactory Start(Dictionary<string, string?> settings)
    {
        var app = new MiniCCFactory(settings);
        _apps.Add(app);
        return app;
    }

    private static Dictionary<string, string?> English(Dictionary<string, string?>? settings = null)
    {
        settings ??= [];
        settings["MiniCC:Language"] = "en-US";
        return settings;
    }

    /// <summary>The signed-in user made the operator Sato (+819033334444); returns the operator's id.</summary>
    private static async Task<long> LinkToSatoAsync(MiniCCFactory app)
    {
        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        var id = (await app.Operators.FindAsync(OperatorPhone, default))!.Id;
        Assert.True(await app.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, id, default));
        return id;
    }

    [GeneratedRegex("<script(?![^>]*\\ssrc=)(?![^>]*type=\"application/json\")|<style|\\sstyle=|\\son[a-z]+=", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [GeneratedRegex("<script type=\"application/json\" id=\"desk-words\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex WordsBlock();

    [Fact]
    public async Task WhileTheDeskIsOffThePageSaysSoAndHowToSwitchItOn()
    {
        var app = Start(English());
        using var browser = await PageClient.SignedInAsync(app);
        await LinkToSatoAsync(app);
        var html = await browser.PageAsync("/desk");
        Assert.Contains("data-reason=\"off\"", html, StringComparison.Ordinal);
        Assert.Contains("The desk is switched off", html, StringComparison.Ordinal);
        Assert.Contains("MiniCC:Desk:Enabled", html, StringComparison.Ordinal);
        Assert.DoesNotContain("twilio.min.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserWhoIsNoOperatorIsToldToBeLinkedAndHow()
    {
        var app = Start(English(DeskSettings.On()));
        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        using var browser = await PageClient.SignedInAsync(app);
        var html = await browser.PageAsync("/desk");
        Assert.Contains("data-reason=\"not-linked\"", html, StringComparison.Ordinal);
        Assert.Contains($"Your user ({SignInForm.User}) is not an operator", html, StringComparison.Ordinal);
        Assert.Contains($"minicc users link {SignInForm.User} --operator", html, StringComparison.Ordinal);
        Assert.DoesNotContain("id=\"desk\"", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserWhoseOperatorIsDisabledIsToldWhoToAsk()
    {
        var app = Start(English(DeskSettings.On()));
        using var browser = await PageClient.SignedInAsync(app);
        await LinkToSatoAsync(app);
        await app.Operators.SetActiveAsync(OperatorPhone, false, default);
        var html = await browser.PageAsync("/desk");
        Assert.Contains("data-reason=\"disabled\"", html, StringComparison.Ordinal);
        Assert.Contains("minicc operators enable +819033334444", html, StringComparison.Ordinal);
        Assert.DoesNotContain("twilio.min.js", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InJapaneseTheReasonIsInJapanese()
    {
        var app = Start(DeskSettings.On(new() { ["MiniCC:Language"] = "ja-JP" }));
        using var browser = await PageClient.SignedInAsync(app);
        var html = await browser.PageAsync("/desk");
        Assert.Contains("オペレーターに割り当てられていない", html, StringComparison.Ordinal);
        Assert.Contains(">デスク</a>", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnActiveOperatorGetsThePhoneWithTheSdkFromMiniCCAndAPolicyThatReachesOnlyTwilio()
    {
        var app = Start(English(DeskSettings.On()));
        using var browser = await PageClient.SignedInAsync(app);
        var id = await LinkToSatoAsync(app);
        await app.Operators.AddAsync("+819055556666", "Suzuki", default);
        using var response = await browser.GetAsync(new Uri("/desk", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());

        Assert.Contains("You take calls as Sato (+819033334444).", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/lib/twilio.min.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Contains("<script src=\"/js/desk.js\" defer></script>", html, StringComparison.Ordinal);
        Assert.Contains("data-token=\"/desk/token\"", html, StringComparison.Ordinal);
        Assert.False(InlineCode().IsMatch(html), InlineCode().Match(html).Value);

        // The script's words are a data block of JSON in the page's language; other desks are named.
        var data = JsonDocument.Parse(WordsBlock().Match(html).Groups[1].Value).RootElement;
        Assert.Equal("Connecting to Twilio…", data.GetProperty("words").GetProperty("state.registering").GetString());
        Assert.Equal("error.microphoneBlocked", data.GetProperty("errors").GetProperty("31401").GetString());
        var suzuki = (await app.Operators.FindAsync("+819055556666", default))!.Id;
        Assert.Equal("Suzuki (+819055556666)", data.GetProperty("operators").GetProperty($"operator_{suzuki}").GetString());
        Assert.Equal("Sato (+819033334444)", data.GetProperty("operators").GetProperty($"operator_{id}").GetString());

        // The desk's policy adds Twilio's WebSocket and reports and nothing else; every other page keeps the site's own.
        var csp = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("connect-src 'self' wss://*.twilio.com https://*.twilio.com;", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", csp, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
        using var other = await browser.GetAsync(new Uri("/operators", UriKind.Relative));
        Assert.Equal(SecurityHeaders.ContentSecurityPolicy, other.Headers.GetValues("Content-Security-Policy").Single());

        // The bundle is there, built from npm, and it defines Twilio.Device.
        var sdk = await browser.GetStringAsync(new Uri("/lib/twilio.min.js", UriKind.Relative));
        Assert.StartsWith("(function(root){", sdk, StringComparison.Ordinal);
        Assert.Contains("Twilio.Device=Twilio.Device||Voice.Device", sdk, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheWordsBlockCannotBeEndedByAnOperatorsName()
    {
        var app = Start(English(DeskSettings.On()));
        using var browser = await PageClient.SignedInAsync(app);
        await LinkToSatoAsync(app);
        await app.Operators.AddAsync("+819055556666", "</script><script>alert(1)</script>", default);
        using var response = await browser.GetAsync(new Uri("/desk", UriKind.Relative));
        var html = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        var data = JsonDocument.Parse(WordsBlock().Match(html).Groups[1].Value).RootElement;
        Assert.Contains(data.GetProperty("operators").EnumerateObject(), o => o.Value.GetString()!.StartsWith("</script><script>", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheDeskNeedsASignedInUser()
    {
        var app = Start(English(DeskSettings.On()));
        using var anonymous = SignInForm.NewBrowser(app);
        foreach (var path in new[] { "/desk", "/desk/sounds/incoming.wav" })
        {
            using var response = await anonymous.GetAsync(new Uri(path, UriKind.Relative));
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            Assert.Contains("/signin", response.Headers.Location!.ToString(), StringComparison.Ordinal);
        }
    }
}
