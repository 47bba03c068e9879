using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Desk;
using MiniCC.Pages;
using MiniCC.Security;
using MiniCC.Tests.Pages;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Desk;

/// <summary>
/// POST /desk/calls/{CallSid}/disposition as the desk's script sends it (a form, the antiforgery token in a header):
/// only the signed-in operator who answered the call, with a configured disposition and a note of text.
/// </summary>
public sealed class DispositionEndpointTests : IDisposable
{
    private readonly TestApps _apps = new();

    public void Dispose() => _apps.Dispose();

    private MiniCCFactory Start(string language = "ja-JP", Dictionary<string, string?>? settings = null) =>
        _apps.Start(settings ?? DeskSettings.On(new() { ["MiniCC:Language"] = language }));

    /// <summary>The operator Sato in the loop, a call Sato answered, and a browser signed in as Sato's user with its page's token.</summary>
    private static async Task<(HttpClient Browser, string Token, string Call, string Leg)> SatoAnsweredAsync(MiniCCFactory app)
    {
        var (op, leg) = await app.OperatorInLoopAsync();
        var call = await app.AnsweredByAsync(leg);
        var browser = await SignInForm.SignedInBrowserAsync(app);
        Assert.True(await app.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, op, default));
        return (browser, await SignInForm.TokenAsync(browser), call, leg);
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string? token, string callSid, string disposition,
        string? note = null, bool tokenInForm = false)
    {
        var fields = new List<KeyValuePair<string, string>> { new("disposition", disposition) };
        if (note is not null)
        {
            fields.Add(new("note", note));
        }

        if (token is not null && tokenInForm)
        {
            fields.Add(new("__RequestVerificationToken", token));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, DispositionEndpoints.DispositionOf(callSid)) { Content = new FormUrlEncodedContent(fields) };
        if (token is not null && !tokenInForm)
        {
            request.Headers.Add(PageEndpoints.AntiforgeryHeader, token);
        }

        return await browser.SendAsync(request);
    }

    /// <summary>Posts and checks the refusal: its status, its reason, and words for people.</summary>
    private static async Task<string> RefusedAsync(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        using (response)
        {
            Assert.Equal(status, response.StatusCode);
            var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(reason, json.GetProperty("reason").GetString());
            return json.GetProperty("error").GetString()!;
        }
    }

    private static async Task<CallDisposition?> StoredAsync(MiniCCFactory app, string call) =>
        await app.Services.GetRequiredService<DispositionStore>().FindAsync(call, default);

    [Fact]
    public async Task TheOperatorWhoAnsweredRecordsADispositionAndMayChangeIt()
    {
        var app = Start();
        var (browser, token, call, _) = await SatoAnsweredAsync(app);

        using (var saved = await PostAsync(browser, token, call, "follow-up", "明日10時に折り返し。\r\n担当: 佐藤"))
        {
            Assert.Equal(HttpStatusCode.NoContent, saved.StatusCode);
        }

        var first = await StoredAsync(app, call);
        Assert.Equal("follow-up", first!.Disposition);
        // A form's line breaks are stored as a script's are.
        Assert.Equal("明日10時に折り返し。\n担当: 佐藤", first.Note);

        // Again, with the token in the form as a plain HTML form would send it: the new disposition replaces the old, without a note.
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        using (var again = await PostAsync(browser, token, call, "resolved", "   ", tokenInForm: true))
        {
            Assert.Equal(HttpStatusCode.NoContent, again.StatusCode);
        }

        var second = await StoredAsync(app, call);
        Assert.Equal("resolved", second!.Disposition);
        Assert.Null(second.Note);
        Assert.Equal(app.Clock.GetUtcNow().ToUnixTimeMilliseconds(), second.SetAt);

        // The longest note: 2,000 characters as people count them (🙂 is one, though two UTF-16 code units).
        var longest = new string('あ', 1999) + "🙂";
        using (var full = await PostAsync(browser, token, call, "resolved", longest))
        {
            Assert.Equal(HttpStatusCode.NoContent, full.StatusCode);
        }

        Assert.Equal(longest, (await StoredAsync(app, call))!.Note);
    }

    [Fact]
    public async Task EachRefusalSaysWhyAndStoresNothing()
    {
        var app = Start("en-US");
        var (browser, token, call, leg) = await SatoAnsweredAsync(app);

        Assert.Contains("resolved, follow-up, information-only, complaint, wrong-number",
            await RefusedAsync(await PostAsync(browser, token, call, "escalated"), HttpStatusCode.BadRequest, "unknown-disposition"), StringComparison.Ordinal);
        await RefusedAsync(await PostAsync(browser, token, call, ""), HttpStatusCode.BadRequest, "unknown-disposition");
        Assert.Equal("The note is longer than 2000 characters.",
            await RefusedAsync(await PostAsync(browser, token, call, "resolved", new string('x', 2001)), HttpStatusCode.BadRequest, "note-too-long"));
        await RefusedAsync(await PostAsync(browser, token, call, "resolved", "\u001b[2Jgone"), HttpStatusCode.BadRequest, "note-invalid");
        // ASP.NET refuses to decode a form with a NUL in it.
        await RefusedAsync(await PostAsync(browser, token, call, "resolved", "NUL\0here"), HttpStatusCode.BadRequest, "form");
        await RefusedAsync(await PostAsync(browser, token, "CA123", "resolved"), HttpStatusCode.BadRequest, "call-sid");
        await RefusedAsync(await PostAsync(browser, token, "CA" + new string('g', 32), "resolved"), HttpStatusCode.BadRequest, "call-sid");
        await RefusedAsync(await PostAsync(browser, token, "CA" + new string('9', 32), "resolved"), HttpStatusCode.NotFound, "unknown-call");
        // The operator's own leg, and a caller who hung up before anyone answered: not calls this operator answered.
        Assert.Equal("Only the operator who answered this call may record its disposition.",
            await RefusedAsync(await PostAsync(browser, token, leg, "resolved"), HttpStatusCode.Forbidden, "not-your-call"));
        await RefusedAsync(await PostAsync(browser, token, await app.AbandonedAsync(), "resolved"), HttpStatusCode.Forbidden, "not-your-call");
        await RefusedAsync(await PostAsync(browser, null, call, "resolved"), HttpStatusCode.BadRequest, "antiforgery");
        await RefusedAsync(await PostAsync(browser, token + "x", call, "resolved"), HttpStatusCode.BadRequest, "antiforgery");
        Assert.Null(await StoredAsync(app, call));

        // A call another operator answered.
        var (_, suzukiLeg) = await app.OperatorInLoopAsync(SecondOperatorPhone, "鈴木");
        var suzukis = await app.AnsweredByAsync(suzukiLeg);
        await RefusedAsync(await PostAsync(browser, token, suzukis, "resolved"), HttpStatusCode.Forbidden, "not-your-call");
        Assert.Null(await StoredAsync(app, suzukis));

        // An operator disabled since signing in, and a user who is no operator.
        await app.Operators.SetActiveAsync(OperatorPhone, false, default);
        await RefusedAsync(await PostAsync(browser, token, call, "resolved"), HttpStatusCode.Forbidden, "not-an-operator");
        await app.Operators.SetActiveAsync(OperatorPhone, true, default);
        await app.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, null, default);
        Assert.Equal("This user is not an active operator.",
            await RefusedAsync(await PostAsync(browser, token, call, "resolved"), HttpStatusCode.Forbidden, "not-an-operator"));
        Assert.Null(await StoredAsync(app, call));
    }

    [Fact]
    public async Task NothingIsRecordedWhileTheDeskIsOffOrWithoutSigningIn()
    {
        var off = Start(settings: []);
        var (browser, token, call, _) = await SatoAnsweredAsync(off);
        Assert.Equal("デスク機能は無効です（MiniCC:Desk:Enabled）。",
            await RefusedAsync(await PostAsync(browser, token, call, "resolved"), HttpStatusCode.NotFound, "desk-off"));
        Assert.Null(await StoredAsync(off, call));

        var on = Start();
        var (_, _, answered, _) = await SatoAnsweredAsync(on);
        using var anonymous = SignInForm.NewBrowser(on);
        using var refused = await PostAsync(anonymous, null, answered, "resolved");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/signin", refused.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Null(await StoredAsync(on, answered));
    }

    [Fact]
    public async Task RefusalsAreInJapaneseOnAJapaneseCenter()
    {
        var app = Start();
        var (browser, token, call, leg) = await SatoAnsweredAsync(app);
        Assert.Equal("対応結果を次から選んでください: resolved、follow-up、information-only、complaint、wrong-number。",
            await RefusedAsync(await PostAsync(browser, token, call, "escalated"), HttpStatusCode.BadRequest, "unknown-disposition"));
        Assert.Equal("メモが2000文字を超えています。",
            await RefusedAsync(await PostAsync(browser, token, call, "resolved", new string('あ', 2001)), HttpStatusCode.BadRequest, "note-too-long"));
        Assert.Equal("この通話の対応結果を記入できるのは、応答したオペレーターだけです。",
            await RefusedAsync(await PostAsync(browser, token, leg, "resolved"), HttpStatusCode.Forbidden, "not-your-call"));
    }
}
