using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;

namespace MiniCC.Tests;

/// <summary>The sign-in page as a browser uses it: the form posted with the antiforgery token the page gave.</summary>
public static partial class SignInForm
{
    public const string User = "manager";

    public const string Password = "correct horse battery";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    /// <summary>A browser that keeps cookies and shows redirects rather than following them.</summary>
    public static HttpClient NewBrowser(MiniCCFactory app) =>
        app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    /// <summary>Posts the sign-in form, from <paramref name="remote"/> when given (see <see cref="RemoteAddressFactory"/>).</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string user, string password, string? remote = null)
    {
        var html = await browser.GetStringAsync(new Uri("/signin", UriKind.Relative));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/signin")
        {
            Content = new FormUrlEncodedContent([KeyValuePair.Create("username", user), KeyValuePair.Create("password", password),
                KeyValuePair.Create("__RequestVerificationToken", TokenField().Match(html).Groups[1].Value)]),
        };
        if (remote is not null)
        {
            request.Headers.Add("X-Test-Remote", remote);
        }

        return await browser.SendAsync(request);
    }

    /// <summary>The antiforgery token a page gives the signed-in <paramref name="browser"/>, for a form or a script's post.</summary>
    public static async Task<string> TokenAsync(HttpClient browser, string page = "/")
    {
        var html = await browser.GetStringAsync(new Uri(page, UriKind.Relative));
        var token = TokenField().Match(html);
        Assert.True(token.Success, $"{page} has no antiforgery token");
        return token.Groups[1].Value;
    }

    /// <summary>A browser signed in as <see cref="User"/>, who is added first.</summary>
    public static async Task<HttpClient> SignedInBrowserAsync(MiniCCFactory app)
    {
        await app.Services.GetRequiredService<UserStore>().AddAsync(User, Password, default);
        var browser = NewBrowser(app);
        using var response = await PostAsync(browser, User, Password);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return browser;
    }
}
