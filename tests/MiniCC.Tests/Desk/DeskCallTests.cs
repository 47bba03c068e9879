using Microsoft.Extensions.DependencyInjection;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Desk;

/// <summary>
/// The TwiML App's Voice URL (/voice/client) as Twilio calls it for a desk: From=client:&lt;identity&gt;, To as the
/// desk's parameter. An active operator enters the same loop as a phone operator; calling out is off unless allowed.
/// </summary>
public sealed class DeskCallTests : IDisposable
{
    private readonly List<MiniCCFactory> _apps = [];

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }
    }

    private MiniCCFactory Start(Dictionary<string, string?>? extra = null)
    {
        var settings = DeskSettings.On(extra);
        settings["MiniCC:Language"] = "en-US";
        var app = new MiniCCFactory(settings);
        _apps.Add(app);
        return app;
    }

    private static async Task<string> DeskOfAsync(MiniCCFactory app, string phone = OperatorPhone, string name = "Sato")
    {
        await app.Operators.AddAsync(phone, name, default);
        return "client:operator_" + (await app.Operators.FindAsync(phone, default))!.Id;
    }

    private static (string, string)[] DeskCall(string callSid, string from, string to = "") =>
        [.. Call(callSid, from: from, status: "ringing").Where(p => p.Item1 != "To"), ("To", to), ("ApplicationSid", DeskSettings.App)];

    [Fact]
    public async Task AnOperatorsDeskEntersTheSameLoopAsTheirPhone()
    {
        var app = Start();
        var desk = await DeskOfAsync(app);
        var sid = NewCallSid();
        var answer = await app.TwimlAsync("/voice/client", DeskCall(sid, desk));
        Assert.Equal(["Redirect"], Verbs(answer));
        Assert.EndsWith("/voice/operator", answer.Element("Redirect")!.Value, StringComparison.Ordinal);

        // The loop itself answers the desk's call as it answers a phone operator's (it is signed in).
        var loop = await app.TwimlAsync("/voice/operator", Call(sid, from: desk));
        Assert.Contains("Dial", Verbs(loop));
        var queue = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<MiniCC.Voice.VoiceOptions>>().Value.QueueName;
        Assert.Equal(queue, loop.Element("Dial")!.Element("Queue")!.Value);
    }

    [Theory]
    [InlineData("+819011112222")] // a customer's number
    [InlineData("client:operator_999")] // no such operator
    [InlineData("client:somebody")]
    [InlineData("client:operator_1x")]
    public async Task AnyoneButAnActiveOperatorIsToldTheLineIsForOperatorsAndNeverReachesTheLoop(string from)
    {
        var app = Start();
        await DeskOfAsync(app);
        var sid = NewCallSid();
        var answer = await app.TwimlAsync("/voice/client", DeskCall(sid, from));
        Assert.Equal(["Say", "Hangup"], Verbs(answer));
        Assert.Contains("operators only", answer.Element("Say")!.Value, StringComparison.Ordinal);
        // The loop does not take them either: it sends them back to the Voice URL.
        Assert.DoesNotContain("Dial", Verbs(await app.TwimlAsync("/voice/operator", Call(sid, from: from))));
    }

    [Fact]
    public async Task ADisabledOperatorsDeskIsRefusedAtOnce()
    {
        var app = Start();
        var desk = await DeskOfAsync(app);
        await app.Operators.SetActiveAsync(OperatorPhone, false, default);
        Assert.Equal(["Say", "Hangup"], Verbs(await app.TwimlAsync("/voice/client", DeskCall(NewCallSid(), desk))));
    }

    [Fact]
    public async Task CallingOutIsOffUntilAllowedAndThenOnlyToTheAllowedPrefixes()
    {
        var off = Start();
        var desk = await DeskOfAsync(off);
        var refused = await off.TwimlAsync("/voice/client", DeskCall(NewCallSid(), desk, to: "+819011112222"));
        Assert.Equal(["Say", "Hangup"], Verbs(refused));
        Assert.Contains("not allowed", refused.Element("Say")!.Value, StringComparison.Ordinal);

        var on = Start(new() { ["MiniCC:Desk:CallOutPrefixes:0"] = "+8190", ["MiniCC:Desk:CallerId"] = Number });
        desk = await DeskOfAsync(on);
        var dial = await on.TwimlAsync("/voice/client", DeskCall(NewCallSid(), desk, to: "090-1111-2222"));
        Assert.Equal(["Dial"], Verbs(dial));
        Assert.Equal(Number, dial.Element("Dial")!.Attribute("callerId")!.Value);
        Assert.Equal("+819011112222", dial.Element("Dial")!.Element("Number")!.Value);
        Assert.Contains(on.Logs.Lines, l => l.Contains("calls out to +819011112222", StringComparison.Ordinal));

        foreach (var to in new[] { "+12125551234", "+815012345678", "0570-00-0000", "not a number" })
        {
            Assert.Equal(["Say", "Hangup"], Verbs(await on.TwimlAsync("/voice/client", DeskCall(NewCallSid(), desk, to: to))));
        }
    }

    [Fact]
    public async Task ADeskMayRingAnotherActiveOperatorsDesk()
    {
        var app = Start();
        var desk = await DeskOfAsync(app);
        var other = await DeskOfAsync(app, "+819055556666", "Suzuki");
        var dial = await app.TwimlAsync("/voice/client", DeskCall(NewCallSid(), desk, to: other));
        Assert.Equal(other["client:".Length..], dial.Element("Dial")!.Element("Client")!.Value);
        Assert.Equal(["Say", "Hangup"], Verbs(await app.TwimlAsync("/voice/client", DeskCall(NewCallSid(), desk, to: "client:operator_999"))));
    }

    [Fact]
    public async Task WhileTheDeskIsOffItsTwimlAppRefusesEveryone()
    {
        var app = new MiniCCFactory(new() { ["MiniCC:Language"] = "en-US" });
        _apps.Add(app);
        var desk = await DeskOfAsync(app);
        Assert.Equal(["Say", "Hangup"], Verbs(await app.TwimlAsync("/voice/client", DeskCall(NewCallSid(), desk))));
    }
}
