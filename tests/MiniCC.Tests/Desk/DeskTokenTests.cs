using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using MiniCC.Twilio.Tokens;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Desk;

/// <summary>The desk's access token: only for a signed-in user who is an active operator, with the server's identity for them.</summary>
public sealed class DeskTokenTests : IDisposable
{
    private const string Account = DeskSettings.Account;
    private const string Key = DeskSettings.Key;
    private const string Secret = DeskSettings.Secret;
    private const string App = DeskSettings.App;

    private static readonly Dictionary<string, string?> DeskOn = DeskSettings.On(new() { ["MiniCC:Desk:TokenTtlMinutes"] = "30" });

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

    /// <summary>A signed-in browser whose user is the operator Sato (+819033334444).</summary>
    private static async Task<(HttpClient Browser, long OperatorId)> OperatorSignedInAsync(MiniCCFactory app)
    {
        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        var op = (await app.Operators.FindAsync(OperatorPhone, default))!;
        var browser = await SignInForm.SignedInBrowserAsync(app);
        Assert.True(await app.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, op.Id, default));
        return (browser, op.Id);
    }

    [Fact]
    public async Task AnOperatorGetsATokenForTheirOwnIdentityWhateverTheBrowserAsks()
    {
        var app = Start(DeskOn);
        var (browser, id) = await OperatorSignedInAsync(app);

        using var response = await browser.GetAsync(new Uri("/desk/token?identity=operator_999", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("no-store", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal($"operator_{id}", json.GetProperty("identity").GetString());
        // Exactly the token the protocol library makes from the server's settings, the server's clock and that identity.
        Assert.Equal(AccessToken.Create(Account, Key, Secret, $"operator_{id}", new VoiceGrant(true, App), MiniCCFactory.Start, TimeSpan.FromMinutes(30)),
            json.GetProperty("token").GetString());
        Assert.Equal(MiniCCFactory.Start.AddMinutes(30), json.GetProperty("expiresAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task AUserWhoIsNoActiveOperatorGetsNoToken()
    {
        var app = Start(DeskOn);
        var browser = await SignInForm.SignedInBrowserAsync(app);
        using (var unlinked = await browser.GetAsync(new Uri("/desk/token", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, unlinked.StatusCode);
        }

        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        var op = (await app.Operators.FindAsync(OperatorPhone, default))!;
        await app.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, op.Id, default);
        using (var linked = await browser.GetAsync(new Uri("/desk/token", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, linked.StatusCode);
        }

        await app.Operators.SetActiveAsync(OperatorPhone, false, default);
        using var disabled = await browser.GetAsync(new Uri("/desk/token", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Forbidden, disabled.StatusCode);
    }

    [Fact]
    public async Task NobodyGetsATokenWhileTheDeskIsOffOrWithoutSigningIn()
    {
        var off = Start([]);
        var (browser, _) = await OperatorSignedInAsync(off);
        using (var response = await browser.GetAsync(new Uri("/desk/token", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }

        using var anonymous = SignInForm.NewBrowser(Start(DeskOn));
        using var refused = await anonymous.GetAsync(new Uri("/desk/token", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/signin", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
    }
}
