using System.Net;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;

namespace MiniCC.Tests.Pages;

/// <summary>A browser-like client (cookies, no automatic redirects) signed in through the real sign-in form.</summary>
public static partial class PageClient
{
    public const string User = "manager";
    public const string Password = "correct horse battery";

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    public static async Task<HttpClient> SignedInAsync(MiniCCFactory app)
    {
        await app.Services.GetRequiredService<UserStore>().AddAsync(User, Password, default);
        var browser = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var token = TokenField().Match(await browser.GetStringAsync(new Uri("/signin", UriKind.Relative))).Groups[1].Value;
        using var form = new FormUrlEncodedContent([KeyValuePair.Create("username", User), KeyValuePair.Create("password", Password),
            KeyValuePair.Create("__RequestVerificationToken", token)]);
        using var signIn = await browser.PostAsync(new Uri("/signin", UriKind.Relative), form);
        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        return browser;
    }

    /// <summary>The page's HTML with character references decoded, so that assertions read as the page reads.</summary>
    public static async Task<string> PageAsync(this HttpClient browser, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        // .NET writes "10:00:00 AM" with a narrow no-break space before AM/PM (as CLDR does); tests write a plain space.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Replace('\u202F', ' ');
    }
}
