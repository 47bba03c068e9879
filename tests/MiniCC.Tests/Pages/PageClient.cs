using System.Net;

namespace MiniCC.Tests.Pages;

/// <summary>Pages read as a signed-in person reads them.</summary>
public static class PageClient
{
    /// <summary>A browser signed in through the real form (<see cref="SignInForm"/>).</summary>
    public static Task<HttpClient> SignedInAsync(MiniCCFactory app) => SignInForm.SignedInBrowserAsync(app);

    /// <summary>The page's HTML with character references decoded, so that assertions read as the page reads.</summary>
    public static async Task<string> PageAsync(this HttpClient browser, string path, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
        Assert.Equal(expected, response.StatusCode);
        // .NET writes "10:00:00 AM" with a narrow no-break space before AM/PM (as CLDR does); tests write a plain space.
        return WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()).Replace('\u202F', ' ');
    }
}
