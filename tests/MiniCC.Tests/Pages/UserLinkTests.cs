using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

/// <summary>The Operators page's users: link a user to an operator (who takes calls at the desk) and unlink them, with the page's forms.</summary>
public sealed partial class UserLinkTests : IDisposable
{
    private readonly MiniCCFactory _app = new(new() { ["MiniCC:Language"] = "en-US" });

    public void Dispose() => _app.Dispose();

    private UserStore Users => _app.Services.GetRequiredService<UserStore>();

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("<p id=\"user-link-result\"[^>]*>([^<]*)</p>")]
    private static partial Regex Result();

    [GeneratedRegex(">\\s+<")]
    private static partial Regex BetweenTags();

    /// <summary>The page without the white space between its tags, as a reader sees its rows.</summary>
    private static string Tight(string html) => BetweenTags().Replace(html, "><");

    /// <summary>Signed in, with the operators Sato and Suzuki and the user "agent" besides the signed-in one.</summary>
    private async Task<HttpClient> SeededAsync()
    {
        var browser = await PageClient.SignedInAsync(_app);
        await _app.Operators.AddAsync(OperatorPhone, "Sato", default);
        await _app.Operators.AddAsync("+819055556666", "Suzuki", default);
        Assert.True(await Users.AddAsync("agent", "another long password", default));
        return browser;
    }

    private async Task<long> IdOfAsync(string phone) => (await _app.Operators.FindAsync(phone, default))!.Id;

    /// <summary>Posts one of the page's forms as a browser does: its handler's name, its fields and the page's antiforgery token.</summary>
    private static async Task<(HttpStatusCode Status, string Html)> PostAsync(HttpClient browser, string form, bool withToken, params (string, string)[] fields)
    {
        var page = await browser.PageAsync("/operators");
        var content = new List<KeyValuePair<string, string>> { new("_handler", form) };
        content.AddRange(fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2)));
        if (withToken)
        {
            content.Add(new("__RequestVerificationToken", TokenField().Match(page).Groups[1].Value));
        }

        using var body = new FormUrlEncodedContent(content);
        using var response = await browser.PostAsync(new Uri("/operators", UriKind.Relative), body);
        return (response.StatusCode, WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync()));
    }

    [Fact]
    public async Task TheOperatorsPageListsTheUsersAndLinksOneToAnOperator()
    {
        using var browser = await SeededAsync();
        var page = await browser.PageAsync("/operators");
        Assert.Contains("<tr data-user=\"agent\"><td>agent</td><td>(none)</td><td></td></tr>", Tight(page), StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" class=\"range\" id=\"link-user\" action=\"/operators\"><input type=\"hidden\" name=\"_handler\" value=\"link-user\" />",
            page, StringComparison.Ordinal);

        var (status, html) = await PostAsync(browser, "link-user", true, ("user", "agent"), ("operator", (await IdOfAsync("+819055556666")).ToString()));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("agent is now the operator Suzuki (+819055556666).", Result().Match(html).Groups[1].Value);
        Assert.Contains("<tr data-user=\"agent\"><td>agent</td><td>Suzuki (+819055556666)</td><td><button type=\"submit\" name=\"unlink\" value=\"agent\"",
            Tight(html), StringComparison.Ordinal);
        Assert.Equal(await IdOfAsync("+819055556666"), (await Users.FindAsync("agent", default))!.OperatorId);
        Assert.Contains(_app.Logs.Lines, l => l.Contains($"{SignInForm.User} linked user agent to operator +819055556666", StringComparison.Ordinal));

        // Linked again, to another operator: the user is that operator now.
        await PostAsync(browser, "link-user", true, ("user", "agent"), ("operator", (await IdOfAsync(OperatorPhone)).ToString()));
        Assert.Equal(await IdOfAsync(OperatorPhone), (await Users.FindAsync("agent", default))!.OperatorId);
    }

    [Fact]
    public async Task AUserIsUnlinkedWithTheirRowsButtonOrByChoosingNoOperator()
    {
        using var browser = await SeededAsync();
        var sato = await IdOfAsync(OperatorPhone);
        await Users.LinkOperatorAsync("agent", sato, default);
        await Users.LinkOperatorAsync(SignInForm.User, sato, default);

        var (status, html) = await PostAsync(browser, "unlink-user", true, ("unlink", "agent"));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("agent is no operator now.", Result().Match(html).Groups[1].Value);
        Assert.Null((await Users.FindAsync("agent", default))!.OperatorId);
        Assert.Equal(sato, (await Users.FindAsync(SignInForm.User, default))!.OperatorId);
        Assert.Contains(_app.Logs.Lines, l => l.Contains($"{SignInForm.User} unlinked user agent", StringComparison.Ordinal));

        (status, html) = await PostAsync(browser, "link-user", true, ("user", SignInForm.User), ("operator", ""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal($"{SignInForm.User} is no operator now.", Result().Match(html).Groups[1].Value);
        Assert.Null((await Users.FindAsync(SignInForm.User, default))!.OperatorId);
    }

    [Fact]
    public async Task AnUnknownUserOrOperatorIsRefusedInWordsAndChangesNothing()
    {
        using var browser = await SeededAsync();
        var sato = (await IdOfAsync(OperatorPhone)).ToString();

        var (status, html) = await PostAsync(browser, "link-user", true, ("user", "ghost"), ("operator", sato));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("There is no user “ghost”: choose one from the list.", Result().Match(html).Groups[1].Value);

        foreach (var unknown in new[] { "999", "-1", "Sato", "1e3" })
        {
            (status, html) = await PostAsync(browser, "link-user", true, ("user", "agent"), ("operator", unknown));
            Assert.Equal(HttpStatusCode.BadRequest, status);
            Assert.Equal($"There is no operator “{unknown}”: choose one from the list.", Result().Match(html).Groups[1].Value);
        }

        (status, html) = await PostAsync(browser, "unlink-user", true, ("unlink", "ghost"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("There is no user “ghost”", html, StringComparison.Ordinal);
        Assert.Null((await Users.FindAsync("agent", default))!.OperatorId);
        Assert.Null(await Users.FindAsync("ghost", default));
    }

    [Fact]
    public async Task WithoutTheAntiforgeryTokenNothingIsLinkedOrUnlinked()
    {
        using var browser = await SeededAsync();
        var sato = await IdOfAsync(OperatorPhone);
        var (status, _) = await PostAsync(browser, "link-user", false, ("user", "agent"), ("operator", sato.ToString()));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Null((await Users.FindAsync("agent", default))!.OperatorId);

        await Users.LinkOperatorAsync("agent", sato, default);
        (status, _) = await PostAsync(browser, "unlink-user", false, ("unlink", "agent"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(sato, (await Users.FindAsync("agent", default))!.OperatorId);
    }

    [Fact]
    public async Task NoOneSignedOutCanLinkAUser()
    {
        using var signedIn = await SeededAsync();
        var token = TokenField().Match(await signedIn.PageAsync("/operators")).Groups[1].Value;
        using var anonymous = SignInForm.NewBrowser(_app);
        using var body = new FormUrlEncodedContent([KeyValuePair.Create("_handler", "link-user"), KeyValuePair.Create("user", "agent"),
            KeyValuePair.Create("operator", (await IdOfAsync(OperatorPhone)).ToString()), KeyValuePair.Create("__RequestVerificationToken", token)]);
        using var response = await anonymous.PostAsync(new Uri("/operators", UriKind.Relative), body);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        Assert.Null((await Users.FindAsync("agent", default))!.OperatorId);
    }
}
