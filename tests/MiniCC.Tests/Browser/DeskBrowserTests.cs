using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniCC.Desk;
using MiniCC.Emulator;
using MiniCC.Pages;
using MiniCC.Security;
using MiniCC.Tests.Desk;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Browser;

/// <summary>
/// The desk in Chromium: the real Voice SDK loaded, given a token and made into a Device, with no way out to Twilio;
/// the rest of the page through the phone adapter's double (desk-phone-double.js), from the keyboard, axe-clean.
/// </summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class DeskBrowserTests
{
    /// <summary>
    /// Chromium resolves no host name (127.0.0.1 needs none): whatever the SDK tries to reach (Twilio's signaling
    /// WebSocket, its call-quality reports) fails on this machine, and nothing leaves it.
    /// </summary>
    private const string NoNetwork = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1";

    private static readonly string Double = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Browser", "desk-phone-double.js"));

    /// <summary>
    /// MiniCC with the desk on (and <paramref name="extra"/> settings) and its user the operator Sato; Suzuki is another
    /// operator. Chromium has no network but loopback.
    /// </summary>
    internal static async Task<BrowserSession> DeskAsync(string language = "en-US", Dictionary<string, string?>? extra = null)
    {
        var s = await BrowserSession.StartAsync(DeskSettings.On(new(extra ?? []) { ["MiniCC:Language"] = language }), [NoNetwork]);
        // The token's times are the app's clock's: the real time, so that it is a token Twilio would take now.
        s.App.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var users = s.App.Services.GetRequiredService<UserStore>();
        await users.AddAsync(SignInForm.User, SignInForm.Password, default);
        await s.App.Operators.AddAsync(OperatorPhone, "Sato", default);
        await s.App.Operators.AddAsync("+819055556666", "Suzuki", default);
        Assert.True(await users.LinkOperatorAsync(SignInForm.User, await OperatorIdAsync(s, OperatorPhone), default));
        return s;
    }

    internal static async Task<long> OperatorIdAsync(BrowserSession s, string phone) => (await s.App.Operators.FindAsync(phone, default))!.Id;

    /// <summary>The desk signed in, with the double in place of the Voice SDK, once the page has registered it.</summary>
    internal static async Task<IPage> DeskWithDoubleAsync(BrowserSession s)
    {
        var (page, _) = await DashboardBrowserTests.SignInAsync(s, "/desk");
        await page.AddInitScriptAsync(Double);
        await page.ReloadAsync();
        await page.WaitForFunctionAsync("() => window.deskPhone && deskPhone.calls('register').length === 1");
        return page;
    }

    /// <summary>
    /// The desk goes on line as an operator does it: Go on line makes the adapter connect, the emulator's device (the
    /// operator's <c>client:</c> identity) places that call to MiniCC, the page answers it, and the desk shows ready.
    /// </summary>
    internal static async Task<OnLineDesk> OnLineAsync(BrowserSession s, IPage page, long operatorId)
    {
        var client = s.App.CreateClient();
        var twilio = new TwilioEmulator(client, new EmulatorOptions { AuthToken = MiniCCFactory.AuthToken, Start = DateTimeOffset.UtcNow });
        var device = twilio.RegisterDevice(DeskEndpoints.IdentityOf(operatorId));
        await page.ClickAsync("#go-online");
        await page.WaitForFunctionAsync("() => deskPhone.calls('connect').length === 1", null, new() { Timeout = 10_000 });
        var call = await device.ConnectAsync();
        await page.EvaluateAsync("() => deskPhone.answer()");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        await page.WaitForFunctionAsync("() => document.getElementById('work').dataset.state === 'ready'", null, new() { Timeout = 10_000 });
        return new OnLineDesk(twilio, call, client);
    }

    /// <summary>A desk on line: the emulator its call runs in, and that call.</summary>
    internal sealed record OnLineDesk(TwilioEmulator Twilio, EmulatedCall Call, HttpClient Client) : IDisposable
    {
        public void Dispose()
        {
            Twilio.Dispose();
            Client.Dispose();
        }
    }

    private static IReadOnlyDictionary<string, string> Words(string language) => DashText.For(language, TimeZoneInfo.Utc).DeskScriptWords();

    private static Task<string> JsonAsync(IPage page, string expression) => page.EvaluateAsync<string>($"() => JSON.stringify({expression})");

    private static Task WaitForAsync(IPage page, string selector, string attribute, string value) =>
        page.WaitForFunctionAsync($"() => document.querySelector('{selector}').getAttribute('{attribute}') === '{value}'");

    private static async Task<string> TextAsync(IPage page, string selector) => (await page.TextContentAsync(selector))!.Trim();

    private static Task<string> FocusedAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement.id || document.activeElement.dataset.digit || ''");

    /// <summary>The claims of an access token.</summary>
    private static JsonElement Claims(string token) => JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[1])).RootElement;

    [SkippableFact]
    public async Task TheDeskLoadsTheRealVoiceSdkMakesADeviceFromItsTokenAndSaysInWordsThatTwilioCannotBeReached()
    {
        await using var s = await DeskAsync();
        ConcurrentQueue<string> requests = new(), sockets = new(), socketErrors = new(), pageErrors = new();
        ConcurrentQueue<IResponse> responses = new();
        var (page, csp) = await DashboardBrowserTests.SignInAsync(s, "/desk", page =>
        {
            page.Request += (_, r) => requests.Enqueue(r.Url);
            page.Response += (_, r) => responses.Enqueue(r);
            page.PageError += (_, e) => pageErrors.Enqueue(e);
            page.WebSocket += (_, ws) =>
            {
                sockets.Enqueue(ws.Url);
                ws.SocketError += (_, e) => socketErrors.Enqueue(e);
            };
        });

        // The SDK made a Device from the token and is registering it: its signaling connection cannot be opened, which
        // the page says in words (and the SDK keeps trying).
        var unreachable = Words("en-US")["error.unreachable"];
        await page.WaitForFunctionAsync("text => document.getElementById('phone-error').textContent === text", unreachable);
        Assert.Equal("registering", await page.GetAttributeAsync("#desk", "data-phone"));
        Assert.Equal(Words("en-US")["state.registering"], await TextAsync(page, "#phone-state"));
        Assert.True(await page.EvaluateAsync<bool>("() => typeof Twilio.Device === 'function' && typeof window.MiniCCDeskPhone === 'undefined'"));
        Assert.Empty(pageErrors);

        // The token came from MiniCC (once), for this operator; the Device opened its WebSocket to Twilio's default edge (with
        // that token in its first message, never sent), which failed here, on this machine.
        var token = responses.Single(r => r.Url == s.BaseUrl + "/desk/token");
        Assert.Equal(200, token.Status);
        var jwt = JsonDocument.Parse(await token.TextAsync()).RootElement.GetProperty("token").GetString()!;
        Assert.Equal($"operator_{await OperatorIdAsync(s, OperatorPhone)}", Claims(jwt).GetProperty("grants").GetProperty("identity").GetString());
        Assert.Equal(["wss://voice-js.roaming.twilio.com/signal"], sockets.Distinct());
        Assert.NotEmpty(socketErrors);
        Assert.All(socketErrors, e => Assert.Contains("ERR_NAME_NOT_RESOLVED", e, StringComparison.Ordinal));

        // Every other request went to MiniCC: the SDK itself, and its sounds (not Twilio's CDN), each answered.
        Assert.All(requests, url => Assert.StartsWith(s.BaseUrl + "/", url, StringComparison.Ordinal));
        Assert.Contains(s.BaseUrl + "/lib/twilio.min.js", requests);
        var sounds = responses.Where(r => r.Url.Contains("/desk/sounds/", StringComparison.Ordinal)).ToList();
        Assert.Equal(15, sounds.Select(r => r.Url).Distinct().Count());
        Assert.All(sounds, r => Assert.Equal(200, r.Status));
        Assert.Empty(csp);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "desk-unreachable.png"), FullPage = true });
    }

    [SkippableTheory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task AnOperatorGoesOnLineMutesSendsDigitsAndHangsUpFromTheKeyboard(string language)
    {
        await using var s = await DeskAsync(language);
        var page = await DeskWithDoubleAsync(s);
        var words = Words(language);

        // The page registered the phone with its operator's token, and tells the phone's state.
        var token = await page.EvaluateAsync<string>("() => deskPhone.calls('register')[0]");
        Assert.Equal($"operator_{await OperatorIdAsync(s, OperatorPhone)}", Claims(token).GetProperty("grants").GetProperty("identity").GetString());
        await page.EvaluateAsync("() => deskPhone.setState('registered')");
        Assert.Equal(words["state.registered"], await TextAsync(page, "#phone-state"));
        Assert.True(await page.IsDisabledAsync("#hang-up"));
        await Axe.AssertCleanAsync(page);

        // Tab reaches "Go on line"; Enter goes on line: a call with no To, which is the operator loop.
        for (var i = 0; i < 30 && await FocusedAsync(page) != "go-online"; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal("go-online", await FocusedAsync(page));
        await page.Keyboard.PressAsync("Enter");
        await WaitForAsync(page, "#desk", "data-call", "connecting");
        Assert.Equal("[{}]", await JsonAsync(page, "deskPhone.calls('connect')"));
        Assert.Equal(words["call.connecting"], await TextAsync(page, "#call-state"));

        await page.EvaluateAsync("() => deskPhone.answer()");
        await WaitForAsync(page, "#desk", "data-call", "connected");
        Assert.Equal(words["call.online"], await TextAsync(page, "#call-state"));
        Assert.Equal("hang-up", await FocusedAsync(page));
        await Axe.AssertCleanAsync(page);

        // Mute is a toggle: Shift+Tab to it (Go on line is disabled now), Space twice.
        await page.Keyboard.PressAsync("Shift+Tab");
        Assert.Equal("mute", await FocusedAsync(page));
        await page.Keyboard.PressAsync("Space");
        await WaitForAsync(page, "#mute", "aria-pressed", "true");
        Assert.Equal(words["muted"], await TextAsync(page, "#call-state"));
        await page.Keyboard.PressAsync("Space");
        await WaitForAsync(page, "#mute", "aria-pressed", "false");
        Assert.Equal("[true,false]", await JsonAsync(page, "deskPhone.calls('mute')"));
        Assert.Equal(words["call.online"], await TextAsync(page, "#call-state"));

        // The keypad: Tab to its first key, Enter presses it; digit keys typed there are sent too.
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("1", await FocusedAsync(page));
        await page.Keyboard.PressAsync("Enter");
        await page.Keyboard.PressAsync("2");
        await page.Keyboard.PressAsync("#");
        await page.ClickAsync("#keypad button[data-digit='*']");
        await page.WaitForFunctionAsync("() => deskPhone.calls('sendDigits').length === 4");
        Assert.Equal("[\"1\",\"2\",\"#\",\"*\"]", await JsonAsync(page, "deskPhone.calls('sendDigits')"));
        Assert.Equal("12#*", await TextAsync(page, "#digits-sent"));
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"desk-on-line-{language}.png"), FullPage = true });

        // Hang up: the call ends, and the focus is back on "Go on line".
        await page.FocusAsync("#hang-up");
        await page.Keyboard.PressAsync("Enter");
        await WaitForAsync(page, "#desk", "data-call", "idle");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => deskPhone.calls('disconnect').length"));
        Assert.Equal(words["call.ended"], await TextAsync(page, "#call-state"));
        Assert.Equal("go-online", await FocusedAsync(page));
        Assert.True(await page.IsDisabledAsync("#keypad button[data-digit='1']"));
    }

    [SkippableTheory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task ACallFromAnotherDeskRingsAndIsAnsweredFromTheKeyboardDeclinedOrWithdrawn(string language)
    {
        await using var s = await DeskAsync(language);
        var page = await DeskWithDoubleAsync(s);
        var words = Words(language);
        var suzuki = $"client:operator_{await OperatorIdAsync(s, "+819055556666")}";
        var named = words["call.ringing"].Replace("{from}", "Suzuki (+819055556666)", StringComparison.Ordinal);

        // It rings: the caller by name, and the focus on Answer; Enter answers.
        await page.EvaluateAsync("from => deskPhone.ring(from)", suzuki);
        await page.WaitForSelectorAsync("#incoming:not([hidden])");
        Assert.Equal(named, await TextAsync(page, "#incoming-from"));
        Assert.Equal("accept", await FocusedAsync(page));
        Assert.True(await page.IsDisabledAsync("#go-online"));
        await Axe.AssertCleanAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"desk-ringing-{language}.png"), FullPage = true });
        await page.Keyboard.PressAsync("Enter");
        await WaitForAsync(page, "#desk", "data-call", "connected");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => deskPhone.calls('accept').length"));
        Assert.True(await page.IsHiddenAsync("#incoming"));
        Assert.Equal(words["call.with"].Replace("{from}", "Suzuki (+819055556666)", StringComparison.Ordinal), await TextAsync(page, "#call-state"));

        // The other side hangs up.
        await page.EvaluateAsync("() => deskPhone.hangUp()");
        await WaitForAsync(page, "#desk", "data-call", "idle");
        Assert.Equal(words["call.ended"], await TextAsync(page, "#call-state"));

        // Declined here: nothing is answered.
        await page.EvaluateAsync("from => deskPhone.ring(from)", suzuki);
        await page.WaitForSelectorAsync("#incoming:not([hidden])");
        await page.ClickAsync("#reject");
        await WaitForAsync(page, "#desk", "data-call", "idle");
        Assert.Equal(1, await page.EvaluateAsync<int>("() => deskPhone.calls('reject').length"));
        Assert.True(await page.IsHiddenAsync("#incoming"));

        // Withdrawn by the caller (an unknown desk is named as Twilio names it).
        await page.EvaluateAsync("() => deskPhone.ring('client:operator_999')");
        await page.WaitForSelectorAsync("#incoming:not([hidden])");
        await page.EvaluateAsync("() => deskPhone.withdraw()");
        await page.WaitForSelectorAsync("#incoming", new() { State = WaitForSelectorState.Hidden });
        Assert.Equal(words["call.withdrawn"].Replace("{from}", "client:operator_999", StringComparison.Ordinal), await TextAsync(page, "#call-state"));
        Assert.Equal(1, await page.EvaluateAsync<int>("() => deskPhone.calls('accept').length"));
    }

    [SkippableFact]
    public async Task TheTokenIsRenewedAndErrorsAndABlockedMicrophoneAreToldInWords()
    {
        await using var s = await DeskAsync();
        var page = await DeskWithDoubleAsync(s);
        var words = Words("en-US");
        var first = Claims(await page.EvaluateAsync<string>("() => deskPhone.calls('register')[0]")).GetProperty("exp").GetInt64();

        // Before the token ends the phone asks for a new one: a later one from the server.
        s.App.Clock.Advance(TimeSpan.FromMinutes(50));
        await page.EvaluateAsync("() => deskPhone.expireSoon()");
        await page.WaitForFunctionAsync("() => deskPhone.calls('updateToken').length === 1");
        var renewed = Claims(await page.EvaluateAsync<string>("() => deskPhone.calls('updateToken')[0]")).GetProperty("exp").GetInt64();
        Assert.Equal(first + 50 * 60, renewed);

        // Errors in words: the phone's, a call's, one the page does not know; a token that expired is replaced at once.
        foreach (var (code, call, key) in new[]
                 {
                     (31401, false, "error.microphoneBlocked"), (53001, false, "error.networkLost"), (31005, false, "error.unreachable"),
                     (31005, true, "error.dropped"), (20101, false, "error.tokenInvalid"),
                 })
        {
            await page.EvaluateAsync("([code, call]) => deskPhone.fail(code, 'x', call)", new object[] { code, call });
            Assert.Equal(words[key], await TextAsync(page, "#phone-error"));
        }

        await page.EvaluateAsync("() => deskPhone.fail(39999, 'Something new')");
        Assert.Equal("The phone reported an error (39999: Something new).", await TextAsync(page, "#phone-error"));
        await page.EvaluateAsync("() => deskPhone.fail(20104, 'expired')");
        await page.WaitForFunctionAsync("() => deskPhone.calls('register').length === 2");
        // The new one refused as expired at once: the server's clock is wrong, and the page does not ask again and again.
        await page.EvaluateAsync("() => deskPhone.fail(20104, 'expired')");
        Assert.Equal(words["error.clock"], await TextAsync(page, "#phone-error"));
        Assert.Equal(2, await page.EvaluateAsync<int>("() => deskPhone.calls('register').length"));
        await page.EvaluateAsync("() => deskPhone.setState('registered')");
        Assert.Equal("", await TextAsync(page, "#phone-error"));

        // A blocked microphone: going on line says how to allow it, and places no call; when the browser will ask, it says so.
        await page.EvaluateAsync("() => { deskPhone.permission = 'denied'; }");
        await page.ClickAsync("#go-online");
        await page.WaitForFunctionAsync("() => deskPhone.calls('microphone').length === 1");
        Assert.Equal(words["microphone.denied"], await TextAsync(page, "#microphone"));
        Assert.Equal(0, await page.EvaluateAsync<int>("() => deskPhone.calls('connect').length"));
        await page.EvaluateAsync("() => { deskPhone.permission = 'prompt'; }");
        await page.ClickAsync("#go-online");
        await page.WaitForFunctionAsync("() => deskPhone.calls('connect').length === 1");
        Assert.Equal(words["microphone.prompt"], await TextAsync(page, "#microphone"));

        // A user who is no operator any more gets no new token, and is told so.
        await s.App.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, null, default);
        await page.EvaluateAsync("() => deskPhone.expireSoon()");
        await page.WaitForFunctionAsync("text => document.getElementById('phone-error').textContent === text", words["token.notOperator"]);
        Assert.Equal(1, await page.EvaluateAsync<int>("() => deskPhone.calls('updateToken').length"));

        // A sign-in that has ended (the token's request is sent to the sign-in page) is told as such.
        await page.Context.ClearCookiesAsync();
        await page.EvaluateAsync("() => deskPhone.expireSoon()");
        await page.WaitForFunctionAsync("text => document.getElementById('phone-error').textContent === text", words["token.signedOut"]);
    }
}
