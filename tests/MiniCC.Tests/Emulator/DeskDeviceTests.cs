using MiniCC.Emulator;
using MiniCC.Tests.Desk;
using MiniCC.Tests.EndToEnd;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>Emulated Voice SDK devices against MiniCC's TwiML App (/voice/client): an operator's desk, a stranger's, and desk to desk.</summary>
public sealed class DeskDeviceTests : IDisposable
{
    private readonly CallCenter _center = CallCenter.Open("sqlite", DeskSettings.On(new()
    {
        ["MiniCC:Desk:CallOutPrefixes:0"] = "+8190",
        ["MiniCC:Desk:CallerId"] = Number,
    }));

    private TwilioEmulator Twilio => _center.Twilio;

    public void Dispose() => _center.Dispose();

    /// <summary>The desk of a new operator: a device registered with the identity MiniCC's tokens give them.</summary>
    private async Task<EmulatedDevice> DeskAsync(string phone, string name)
    {
        await _center.AddOperatorAsync(phone, name);
        return Twilio.RegisterDevice("operator_" + (await _center.App.Operators.FindAsync(phone, default))!.Id);
    }

    private async Task<EmulatedCall> CustomerInQueueAsync()
    {
        var customer = await Twilio.DialAsync(Customer);
        await customer.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallState.InQueue, customer.State);
        return customer;
    }

    [Fact]
    public async Task AnOperatorsDeskTakesAWaitingCallerThroughTheLoopAndItsEndIsStored()
    {
        var customer = await CustomerInQueueAsync();
        var device = await DeskAsync(OperatorPhone, "Sato");
        var desk = await device.ConnectAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));

        Assert.Same(desk, customer.ConnectedTo);
        Assert.True(desk.Truth.IsOperator);
        Assert.Equal((device.Address, desk.CallSid), (customer.Truth.AnsweredBy, customer.Truth.AnsweredByCallSid));
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(60));
        await desk.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CallState.Completed, customer.State);
        var visit = Assert.Single(await _center.History.QueueVisitsAsync(default));
        Assert.Equal(("bridged", desk.CallSid, (long?)customer.Truth.TalkSeconds), (visit.Result, visit.OperatorCallSid, visit.TalkSeconds));
        // The App's status callback told MiniCC the desk's call ended.
        Assert.Equal("completed", (await _center.History.CallsAsync(default)).Single(c => c.CallSid == desk.CallSid).FinalStatus);
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [Fact]
    public async Task ADeviceThatIsNoActiveOperatorHearsTheLineIsForOperatorsAndNeverTakesACaller()
    {
        var customer = await CustomerInQueueAsync();
        await DeskAsync(OperatorPhone, "Sato");
        var stranger = await Twilio.RegisterDevice("operator_999").ConnectAsync();
        Assert.Contains("オペレーター専用", stranger.HeardText, StringComparison.Ordinal);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CallState.Completed, stranger.State);
        Assert.False(stranger.Truth.IsOperator);
        Assert.Equal(CallState.InQueue, customer.State);
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [Fact]
    public async Task ADeskRingsAnotherDeskWhichAcceptsAndTheyTalkUntilOneHangsUp()
    {
        var sato = await DeskAsync(OperatorPhone, "Sato");
        var suzuki = await DeskAsync(SecondOperatorPhone, "Suzuki");
        var call = await sato.ConnectAsync(new Dictionary<string, string> { ["To"] = suzuki.Address });
        var ringing = Assert.IsType<IncomingCall>(suzuki.Ringing);
        Assert.Equal(sato.Address, ringing.Parameters["From"]);

        var leg = await ringing.AcceptAsync();
        Assert.Same(leg, call.ConnectedTo);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        await call.HangUpAsync();
        Assert.Equal((CallState.Completed, "closed"), (leg.State, ringing.Status));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [Fact]
    public async Task ADeskCallsOutToAnAllowedNumberShowingTheCentersNumber()
    {
        var sato = await DeskAsync(OperatorPhone, "Sato");
        var phone = Twilio.RegisterPhone("+819012340000");
        var call = await sato.ConnectAsync(new Dictionary<string, string> { ["To"] = "090-1234-0000" });
        var ringing = Assert.IsType<IncomingCall>(phone.Ringing);
        Assert.Equal((Number, "+819012340000"), (ringing.Call.From, ringing.Call.To));

        await ringing.AcceptAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(CallState.Talking, call.State);
        Assert.Empty(Twilio.ApplicationErrors);
    }
}
