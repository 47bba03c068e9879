using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Emulator;
using MiniCC.Operators;
using MiniCC.Security;
using MiniCC.Storage;
using MiniCC.Tests.Desk;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.EndToEnd;

/// <summary>
/// A browser operator's day through the emulator: their desk (an emulated Voice SDK device) goes on line, takes a
/// caller, wraps up while another caller waits, takes a break with the desk's button and comes back for that caller.
/// </summary>
public sealed class DeskOperatorTests : IDisposable
{
    private readonly CallCenter _center = CallCenter.Open("sqlite", DeskSettings.On());

    private TwilioEmulator Twilio => _center.Twilio;

    public void Dispose() => _center.Dispose();

    private async Task<EmulatedCall> CustomerInQueueAsync(string from)
    {
        var customer = await Twilio.DialAsync(from);
        await customer.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(1));
        return customer;
    }

    private async Task<string?> StateAsync(long id) =>
        (await _center.App.Services.GetRequiredService<OperatorStateStore>().OfOperatorAsync(id, default))?.State;

    private static async Task<(HttpStatusCode, JsonElement)> PressAsync(HttpClient browser, string state, string? reason = null)
    {
        var form = new Dictionary<string, string> { ["state"] = state };
        if (reason is not null)
        {
            form["reason"] = reason;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/desk/state") { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add("RequestVerificationToken", await SignInForm.TokenAsync(browser));
        using var response = await browser.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task ABrowserOperatorTakesACallerWrapsUpTakesABreakAndComesBack()
    {
        await _center.AddOperatorAsync(OperatorPhone, "Sato");
        var id = (await _center.App.Operators.FindAsync(OperatorPhone, default))!.Id;
        using var browser = await SignInForm.SignedInBrowserAsync(_center.App);
        await _center.App.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, id, default);
        var device = Twilio.RegisterDevice("operator_" + id);

        var desk = await device.ConnectAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(OperatorStates.Ready, await StateAsync(id));
        var first = await CustomerInQueueAsync(Customer);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Same(desk, first.ConnectedTo);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(60));
        await first.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(OperatorStates.WrapUp, await StateAsync(id));

        // Another caller waits; wrap-up holds the desk, then the break button does (its reason from the list).
        var second = await CustomerInQueueAsync("+819011112222");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        var (status, _) = await PressAsync(browser, "break", "training");
        Assert.Equal(HttpStatusCode.OK, status);
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(CallState.InQueue, second.State);
        Assert.Contains("休憩中です。受付を再開するときは1を押してください。", desk.Heard);

        (status, _) = await PressAsync(browser, "ready");
        Assert.Equal(HttpStatusCode.OK, status);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Same(desk, second.ConnectedTo);
        Assert.Equal(OperatorStates.OnCall, await StateAsync(id));

        // Closing the browser ends the desk's call: the operator is offline at once, by the App's status callback.
        await second.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        await desk.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(OperatorStates.Offline, await StateAsync(id));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [Fact]
    public async Task ABreakWhileWaitingCallsAgainSoThatNoCallerIsHandedOver()
    {
        await _center.AddOperatorAsync(OperatorPhone, "Sato");
        var id = (await _center.App.Operators.FindAsync(OperatorPhone, default))!.Id;
        using var browser = await SignInForm.SignedInBrowserAsync(_center.App);
        await _center.App.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, id, default);
        var device = Twilio.RegisterDevice("operator_" + id);
        var waiting = await device.ConnectAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));

        // What the desk does with the 409: hang up the waiting call and connect with the parameters it was given.
        var (status, json) = await PressAsync(browser, "break", "lunch");
        Assert.Equal(HttpStatusCode.Conflict, status);
        var parameters = json.GetProperty("reconnect").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
        await waiting.HangUpAsync();
        var onBreak = await device.ConnectAsync(parameters);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        var customer = await CustomerInQueueAsync(Customer);
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(CallState.InQueue, customer.State);
        Assert.Equal(OperatorStates.Break, await StateAsync(id));
        Assert.NotEqual(CallState.Completed, onBreak.State);
    }
}
