using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using MiniCC.Twilio.Security;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

/// <summary>Pages need a signed-in user; sign-in is protected by antiforgery; sessions and signatures stay apart.</summary>
public sealed partial class PagesTests : IDisposable
{
    private const string Password = "correct horse battery";
    private readonly MiniCCFactory _app = new(new() { ["MiniCC:Language"] = "en-US" });

    public void Dispose() => _app.Dispose();

    private HttpClient Browser() => _app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    private static async Task<string> TokenAsync(HttpClient browser, string path = "/signin")
    {
        var html = await browser.GetStringAsync(new Uri(path, UriKind.Relative));
        return TokenField().Match(html).Groups[1].Value;
    }

    private static async Task<HttpResponseMessage> SignInAsync(HttpClient browser, string user, string password, string? returnUrl = null, bool withToken = true)
    {
        var fields = new List<KeyValuePair<string, string>> { new("username", user), new("password", password) };
        if (withToken)
        {
            fields.Add(new("__RequestVerificationToken", await TokenAsync(browser)));
        }

        if (returnUrl is not null)
        {
            fields.Add(new("returnUrl", returnUrl));
        }

        using var form = new FormUrlEncodedContent(fields);
        return await browser.PostAsync(new Uri("/signin", UriKind.Relative), form);
    }

    private async Task<HttpClient> SignedInBrowserAsync()
    {
        await _app.Services.GetRequiredService<UserStore>().AddAsync("manager", Password, default);
        var browser = Browser();
        using var response = await SignInAsync(browser, "manager", Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }

    [Fact]
    public async Task APageRedirectsToSignInUntilSomeoneSignsIn()
    {
        using var browser = Browser();
        using var response = await browser.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.StartsWith("http://localhost/signin?ReturnUrl=%2F", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithNoUsersTheSignInPageSaysHowToCreateTheFirst()
    {
        using var browser = Browser();
        var html = await browser.GetStringAsync(new Uri("/signin", UriKind.Relative));
        Assert.Contains("minicc users add", html, StringComparison.Ordinal);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("No one can sign in", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TheRightPasswordSignsInAndTheWrongOneDoesNot()
    {
        await _app.Services.GetRequiredService<UserStore>().AddAsync("manager", Password, default);
        using var browser = Browser();

        using var wrong = await SignInAsync(browser, "manager", "wrong password!");
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Contains("The user name or password is wrong.", await wrong.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var unknown = await SignInAsync(browser, "nobody", Password);
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("Failed sign-in for user name nobody", StringComparison.Ordinal));
        Assert.DoesNotContain(_app.Logs.Lines, l => l.Contains(Password, StringComparison.Ordinal) || l.Contains("wrong password!", StringComparison.Ordinal));

        using var right = await SignInAsync(browser, "manager", Password);
        Assert.Equal(HttpStatusCode.Redirect, right.StatusCode);
        Assert.Equal("/", right.Headers.Location!.ToString());
        using var home = await browser.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, home.StatusCode);
        Assert.Contains("<span class=\"who\">manager</span>", await home.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task SigningInWithoutTheAntiforgeryTokenIsRefused()
    {
        await _app.Services.GetRequiredService<UserStore>().AddAsync("manager", Password, default);
        using var browser = Browser();
        using var response = await SignInAsync(browser, "manager", Password, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Theory]
    [InlineData("//evil.example.com/", "/")]
    [InlineData("https://evil.example.com/", "/")]
    [InlineData("/\\evil.example.com", "/")]
    [InlineData("/?tab=operators", "/?tab=operators")]
    public async Task SignInRedirectsOnlyWithinTheSite(string returnUrl, string expected)
    {
        await _app.Services.GetRequiredService<UserStore>().AddAsync("manager", Password, default);
        using var browser = Browser();
        using var response = await SignInAsync(browser, "manager", Password, returnUrl);
        Assert.Equal(expected, response.Headers.Location!.ToString());
    }

    [Theory]
    [InlineData("/\t/evil.example")]
    [InlineData("/\r\nSet-Cookie:x=1")]
    [InlineData("/\n/evil.example")]
    public async Task AReturnUrlWithAControlCharacterFallsBackToTheHomePage(string returnUrl)
    {
        await _app.Services.GetRequiredService<UserStore>().AddAsync("manager", Password, default);
        using var browser = Browser();

        using var response = await SignInAsync(browser, "manager", Password, returnUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Equal("/", response.Headers.Location!.ToString());
        Assert.False(response.Headers.Contains("x"));

        using var page = await browser.GetAsync(new Uri("/signin?returnUrl=" + Uri.EscapeDataString(returnUrl), UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("name=\"returnUrl\" value=\"/\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryResponseCarriesTheSecurityHeaders()
    {
        using var browser = await SignedInBrowserAsync();
        var responses = new List<HttpResponseMessage>();
        foreach (var path in new[] { "/signin", "/", "/history", "/wallboard", "/api/report", "/csv/calls.csv", "/healthz", "/js/dashboard.js", "/no-such-page" })
        {
            responses.Add(await browser.GetAsync(new Uri(path, UriKind.Relative)));
        }

        responses.Add(await _app.PostAsync("/voice/incoming", Call(NewCallSid())));
        foreach (var response in responses)
        {
            var what = response.RequestMessage!.RequestUri!.AbsolutePath;
            var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
            foreach (var directive in new[] { "default-src 'self'", "script-src 'self'", "style-src 'self'", "object-src 'none'", "base-uri 'self'",
                         "frame-ancestors 'none'", "form-action 'self'" })
            {
                Assert.True(csp.Contains(directive, StringComparison.Ordinal), $"{what}: CSP '{csp}' lacks {directive}");
            }

            Assert.DoesNotContain("unsafe", csp, StringComparison.Ordinal);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
            response.Dispose();
        }
    }

    [GeneratedRegex("<style|\\sstyle=|<script(?![^>]*\\ssrc=)|\\son[a-z]+=|javascript:", RegexOptions.IgnoreCase)]
    private static partial Regex InlineCode();

    [Fact]
    public async Task NoPageHasInlineScriptOrStyleSoTheContentSecurityPolicyHolds()
    {
        using var anonymous = Browser();
        var signIn = await anonymous.GetStringAsync(new Uri("/signin", UriKind.Relative));
        Assert.False(InlineCode().IsMatch(signIn), InlineCode().Match(signIn).Value);
        using var browser = await SignedInBrowserAsync();
        foreach (var path in new[] { "/", "/history", "/operators", "/abandoned", "/calls", "/callbacks", "/wallboard" })
        {
            var html = await browser.GetStringAsync(new Uri(path, UriKind.Relative));
            var found = InlineCode().Match(html);
            Assert.False(found.Success, $"{path} has inline code: {found.Value}");
            Assert.Contains("<link rel=\"stylesheet\" href=\"/css/minicc.css\">", html, StringComparison.Ordinal);
        }

        using var css = await browser.GetAsync(new Uri("/css/minicc.css", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, css.StatusCode);
        Assert.Equal("text/css", css.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task SigningOutWithoutTheAntiforgeryTokenIsRefused()
    {
        using var browser = await SignedInBrowserAsync();
        using var empty = new FormUrlEncodedContent([]);
        using var forged = await browser.PostAsync(new Uri("/signout", UriKind.Relative), empty);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        using var still = await browser.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, still.StatusCode);
    }

    [Fact]
    public async Task WithAnHttpsPublicBaseUrlTheCookiesAreSecureEvenWhenTheRequestCameOverHttp()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:PublicBaseUrl"] = "https://cc.example.com" });
        await app.Services.GetRequiredService<UserStore>().AddAsync("manager", Password, default);
        // No cookie container: a Secure cookie would not be sent back over http, so the test carries it by hand.
        using var client = app.Server.CreateClient();
        using var page = await client.GetAsync(new Uri("/signin", UriKind.Relative));
        var antiforgery = page.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("minicc.af=", StringComparison.Ordinal));
        Assert.Contains("; secure", antiforgery, StringComparison.OrdinalIgnoreCase);

        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("username", "manager"), KeyValuePair.Create("password", Password),
                KeyValuePair.Create("__RequestVerificationToken", TokenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value)]),
        };
        request.Headers.Add("Cookie", antiforgery.Split(';')[0]);
        using var signIn = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        var session = signIn.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("minicc.auth=", StringComparison.Ordinal));
        Assert.Contains("; secure", session, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("; httponly", session, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task EverythingOnAPageIsHtmlEncoded()
    {
        await _app.Operators.AddAsync("+819011112222", "<script>alert('x')</script>", default);
        using var browser = await SignedInBrowserAsync();
        var html = await browser.GetStringAsync(new Uri("/operators", UriKind.Relative));
        Assert.Contains("&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("+819011112222", WebUtility.HtmlDecode(html), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATwilioSignatureNeverOpensAPage()
    {
        using var browser = Browser();
        var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Add(RequestSignature.HeaderName, RequestSignature.Compute(MiniCCFactory.AuthToken, "http://localhost/", null));
        using var response = await browser.SendAsync(request);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Contains("/signin", response.Headers.Location!.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task APageSessionNeverOpensAWebhook()
    {
        using var browser = await SignedInBrowserAsync();
        using var form = new FormUrlEncodedContent(Call(NewCallSid()).Select(f => KeyValuePair.Create(f.Item1, f.Item2)));
        using var response = await browser.PostAsync(new Uri("/voice/incoming", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await _app.History.EventsAsync(default));
    }

    [Fact]
    public async Task SigningOutEndsTheSession()
    {
        using var browser = await SignedInBrowserAsync();
        using var form = new FormUrlEncodedContent([KeyValuePair.Create("__RequestVerificationToken", await TokenAsync(browser, "/"))]);
        using var signOut = await browser.PostAsync(new Uri("/signout", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        using var after = await browser.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Redirect, after.StatusCode);
    }

    [Fact]
    public async Task PageTextFollowsThePromptLanguage()
    {
        using var japanese = new MiniCCFactory();
        using var browser = japanese.CreateClient();
        var html = await browser.GetStringAsync(new Uri("/signin", UriKind.Relative));
        Assert.Contains("lang=\"ja\"", html, StringComparison.Ordinal);
        Assert.Contains("パスワード", html, StringComparison.Ordinal);
    }
}
