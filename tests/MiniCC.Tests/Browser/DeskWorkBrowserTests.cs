using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MiniCC.Desk;
using MiniCC.Emulator;
using MiniCC.Pages;
using MiniCC.Tests.Desk;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Browser;

/// <summary>
/// The desk's work panels in Chromium, with the emulator as Twilio: the phone adapter's double stands in for the SDK, and
/// what the page asks of it (go on line) the emulator's device does against the same MiniCC. A caller put through pops up,
/// wrap-up shows its timer and the Ready button, the disposition is saved, a break is taken and ended — ja and en, axe-clean.
/// </summary>
[Collection(OneBrowserAtATime.Name)]
public sealed class DeskWorkBrowserTests
{
    private static Task<string> TextAsync(IPage page, string selector) => page.Locator(selector).InnerTextAsync();

    private static Task WaitForAsync(IPage page, string script, object? arg = null) =>
        page.WaitForFunctionAsync(script, arg, new() { Timeout = 10_000 });

    [SkippableTheory]
    [InlineData("ja-JP")]
    [InlineData("en-US")]
    public async Task TheCallerPopsUpWrapUpShowsItsTimerTheDispositionIsSavedAndABreakComesAndGoes(string language)
    {
        // The desk of Sato, in Chromium with no network but loopback, the adapter's double in place of the SDK.
        await using var s = await DeskBrowserTests.DeskAsync(language);
        var id = await DeskBrowserTests.OperatorIdAsync(s, OperatorPhone);
        var text = DashText.For(language, TimeZoneInfo.Utc);
        var words = text.DeskWorkWords();
        // The same number called earlier and gave up in the queue.
        await s.App.AbandonedAsync();

        var page = await DeskBrowserTests.DeskWithDoubleAsync(s);
        await page.EvaluateAsync("() => deskPhone.setState('registered')");
        Assert.Equal(text.OperatorStateName("offline"), await TextAsync(page, "#work-state"));

        // Go on line: the page asks the adapter to connect; the emulator's device places that call to MiniCC.
        using var online = await DeskBrowserTests.OnLineAsync(s, page, id);
        var (twilio, desk) = (online.Twilio, online.Call);

        // A caller presses 1 and is put through to the desk: the screen pop.
        var customer = await twilio.DialAsync(Customer);
        await customer.PressAsync("1");
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(desk, customer.ConnectedTo);
        await WaitForAsync(page, "() => !document.getElementById('caller').hidden");
        Assert.Equal(Customer, await TextAsync(page, "#caller-from"));
        Assert.Equal(text.MenuChoice("operator"), await TextAsync(page, "#caller-choice"));
        Assert.Equal(words["abandoned.some"].Replace("{count}", "1", StringComparison.Ordinal), await TextAsync(page, "#caller-abandoned"));
        Assert.Equal(text.QueueResult("hangup"), await TextAsync(page, "#caller-previous tr td:nth-child(2)"));
        Assert.Equal("on-call", await page.GetAttributeAsync("#work", "data-state"));
        Assert.True(await page.IsDisabledAsync("#ready"));
        await Axe.AssertCleanAsync(page);

        // The caller hangs up: wrap-up, with its timer and Ready.
        await customer.HangUpAsync();
        await twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        await WaitForAsync(page, "() => document.getElementById('work').dataset.state === 'wrap-up'");
        Assert.Matches(words["wrapUpLeft"].Replace("{seconds}", "[0-9]+", StringComparison.Ordinal), await TextAsync(page, "#wrap-up-timer"));
        Assert.False(await page.IsDisabledAsync("#ready"));
        Assert.Equal(CallState.InProgress, desk.State);

        // The disposition and a note (markup in it stays text), saved.
        await page.SelectOptionAsync("#disposition-choice", "follow-up");
        await page.FillAsync("#disposition-note", "<b>call back</b> after 3pm");
        await page.ClickAsync("#disposition-save");
        await WaitForAsync(page, "() => document.getElementById('work').dataset.saved !== undefined");
        Assert.Equal(words["saved"], await TextAsync(page, "#disposition-result"));
        var call = await s.App.Services.GetRequiredService<MiniCC.Reports.CallQuery>().FindAsync(customer.CallSid, default);
        Assert.Equal(("follow-up", "<b>call back</b> after 3pm"), (call!.Disposition, call.Note));
        await Axe.AssertCleanAsync(page);

        // A break from wrap-up (lunch), then Ready.
        await page.SelectOptionAsync("#break-reason", "lunch");
        await page.ClickAsync("#break");
        await WaitForAsync(page, "() => document.getElementById('work').dataset.state === 'break'");
        Assert.StartsWith(text.OperatorStateName("break", "lunch", new MiniCC.Operators.OperatorStateOptions()), await TextAsync(page, "#work-state"), StringComparison.Ordinal);
        await page.ClickAsync("#ready");
        await WaitForAsync(page, "() => document.getElementById('work').dataset.state === 'ready'");
        await page.ScreenshotAsync(new() { Path = Path.Combine(BrowserSession.ScreenshotDirectory, $"desk-work-{language}.png"), FullPage = true });
    }
}
