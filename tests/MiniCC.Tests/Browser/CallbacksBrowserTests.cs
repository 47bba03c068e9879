using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniCC.Desk;
using MiniCC.Emulator;
using MiniCC.Pages;
using MiniCC.Security;
using MiniCC.Tests.Desk;
using MiniCC.Tests.Pages;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Browser;

/// <summary>
/// Callbacks in Chromium, in Japanese and in English. The Callbacks page: reached from the navigation, axe-clean, and a
/// failed callback marked handled from the keyboard alone (its button, Enter), which takes it off the list for a person.
/// The desk: while its call dials a callback (the emulator as Twilio), "Callback to …" in place of the caller.
/// </summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class CallbacksBrowserTests
{
    [SkippableTheory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task TheCallbacksPageIsAccessibleAndAFailedCallbackIsMarkedHandledFromTheKeyboard(string language)
    {
        await using var s = await BrowserSession.StartAsync(CallbackRequests.Settings(new() { ["MiniCC:Language"] = language }));
        var text = DashText.For(language, TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));
        // Sato calls the first number back (answered); the second is busy, which with one attempt lists it for a person.
        var (_, leg) = await s.App.OperatorInLoopAsync(name: "Sato");
        await s.App.AskCallbackAsync(Customer, MiniCCFactory.StartMs - 60_000);
        await s.App.AskCallbackAsync("+819077778888", MiniCCFactory.StartMs - 30_000);
        var (_, answered) = await s.App.DialsAsync(leg, OperatorPhone);
        // Answered 80 s after their place (the Dial's action comes after a minute's talk).
        s.App.Clock.Advance(TimeSpan.FromSeconds(80));
        await s.App.DialEndsAsync(answered, leg, OperatorPhone, "completed", talkSeconds: 60);
        var (_, busy) = await s.App.DialsAsync(leg, OperatorPhone);
        await s.App.DialEndsAsync(busy, leg, OperatorPhone, "busy");
        await s.App.Services.GetRequiredService<UserStore>().AddAsync(SignInForm.User, SignInForm.Password, default);

        var page = await s.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new() { Width = 1280, Height = 900 } });
        page.SetDefaultTimeout(90_000);
        await page.GotoAsync(s.BaseUrl + "/signin");
        await page.FillAsync("input[name=username]", SignInForm.User);
        await page.FillAsync("input[name=password]", SignInForm.Password);
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForURLAsync(s.BaseUrl + "/");

        // From the navigation.
        await page.ClickAsync($"header nav a:text-is('{text.Callbacks}')");
        await page.WaitForURLAsync(s.BaseUrl + "/callbacks");
        await Axe.AssertCleanAsync(page);
        Assert.Equal(1, await page.Locator("#for-a-person tbody button").CountAsync());
        Assert.Equal(text.CallbackStatus("failed"), await page.Locator("#callbacks tbody tr:nth-child(1) td:nth-child(4)").InnerTextAsync());
        Assert.Equal(text.CallbackStatus("completed"), await page.Locator("#callbacks tbody tr:nth-child(2) td:nth-child(4)").InnerTextAsync());
        Assert.Equal("1:20", await page.Locator("#callbacks tbody tr:nth-child(2) td:nth-child(8)").InnerTextAsync());
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"callbacks-{language}.png"), FullPage = true });

        // Mark handled from the keyboard: focus the button (its name says which number), Enter.
        Assert.Equal(text.MarkHandledOf("+819077778888"), await page.GetAttributeAsync("#for-a-person tbody button", "aria-label"));
        await page.FocusAsync("#for-a-person tbody button");
        await page.Keyboard.PressAsync("Enter");
        await page.WaitForSelectorAsync("#handled-result");
        Assert.Equal(text.CallbackMarked("+819077778888"), await page.Locator("#handled-result").InnerTextAsync());
        Assert.Equal(0, await page.Locator("#for-a-person tbody button").CountAsync());
        Assert.StartsWith(SignInForm.User, await page.Locator("#callbacks tbody tr:nth-child(1) td:nth-child(9)").InnerTextAsync(), StringComparison.Ordinal);
        await Axe.AssertCleanAsync(page);
    }

    [SkippableTheory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task TheDeskShowsTheCallbackItsCallDialsInPlaceOfTheCaller(string language)
    {
        await using var s = await DeskBrowserTests.DeskAsync(language, CallbackRequests.Settings());
        var id = await DeskBrowserTests.OperatorIdAsync(s, OperatorPhone);
        var words = DashText.For(language, TimeZoneInfo.Utc).DeskWorkWords();
        var page = await DeskBrowserTests.DeskWithDoubleAsync(s);
        await page.EvaluateAsync("() => deskPhone.setState('registered')");

        // On line: the emulator's device places the desk's call to MiniCC.
        using var online = await DeskBrowserTests.OnLineAsync(s, page, id);
        var (twilio, desk) = (online.Twilio, online.Call);

        // A number asks to be called back; the desk's loop comes round (its wait on the empty queue ends) and dials it.
        const string Other = "+819077778888";
        var phone = twilio.RegisterPhone(Other);
        await s.App.AskCallbackAsync(Other, s.App.Clock.GetUtcNow().ToUnixTimeMilliseconds());
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(70));
        Assert.NotNull(phone.Ringing);
        await WaitForAsync(page, "() => !document.getElementById('callback').hidden");
        Assert.Equal(words["callbackTo"].Replace("{number}", Other, StringComparison.Ordinal), await page.Locator("#callback-title").InnerTextAsync());
        Assert.Equal((Other, "1"), (await page.Locator("#callback-number").InnerTextAsync(), await page.Locator("#callback-attempt").InnerTextAsync()));
        Assert.Equal(1, await page.Locator("#callback-previous tr").CountAsync());
        Assert.True(await page.Locator("#caller").IsHiddenAsync());

        // Answered: they talk, and the panel stays; when the customer hangs up, it goes.
        var customer = await phone.Ringing.AcceptAsync();
        // The customer first hears the greeting (<Number url>), then is connected.
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(desk, customer.ConnectedTo);
        Assert.False(await page.Locator("#callback").IsHiddenAsync());
        await Axe.AssertCleanAsync(page);
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"desk-callback-{language}.png"), FullPage = true });
        await customer.HangUpAsync();
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        await WaitForAsync(page, "() => document.getElementById('callback').hidden");
        Assert.True(await page.Locator("#caller").IsHiddenAsync());
    }

    private static Task WaitForAsync(IPage page, string script) => page.WaitForFunctionAsync(script, null, new() { Timeout = 10_000 });
}
