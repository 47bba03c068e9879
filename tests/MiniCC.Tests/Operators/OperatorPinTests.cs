using Dapper;
using MiniCC.Security;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Operators;

/// <summary>Caller ID can be spoofed: an operator with a PIN keys it in before entering the loop.</summary>
public sealed class OperatorPinTests : IDisposable
{
    private const string Pin = "4321";
    private readonly MiniCCFactory _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<string> CallInAsync()
    {
        await _app.Operators.AddAsync(OperatorPhone, "Sato", SecretHasher.Hash(Pin), default);
        var sid = NewCallSid();
        var root = await _app.TwimlAsync("/voice/incoming", Call(sid, from: OperatorPhone, status: "ringing"));
        Assert.Equal(["Gather", "Say", "Hangup"], Verbs(root));
        return sid;
    }

    [Fact]
    public async Task AnOperatorWithAPinIsAskedForItAndHearsNoMenu()
    {
        await _app.Operators.AddAsync(OperatorPhone, null, SecretHasher.Hash(Pin), default);
        var root = await _app.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone, status: "ringing"));

        var gather = root.Element("Gather")!;
        Assert.Equal("#", gather.Attribute("finishOnKey")!.Value);
        Assert.Equal("/voice/operator-pin?attempt=1", gather.Attribute("action")!.Value);
        Assert.Contains("暗証番号", gather.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.DoesNotContain("Enqueue", root.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("Dial", root.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("/voice/menu", root.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheRightPinEntersTheOperatorLoop()
    {
        var sid = await CallInAsync();
        var root = await _app.TwimlAsync("/voice/operator-pin?attempt=1", Call(sid, from: OperatorPhone, extra: ("Digits", Pin)));
        Assert.Equal(["Redirect"], Verbs(root));
        Assert.Equal("/voice/operator", root.Element("Redirect")!.Value);

        var loop = await _app.TwimlAsync("/voice/operator", Call(sid, from: OperatorPhone));
        Assert.Equal(["Gather", "Dial", "Redirect"], Verbs(loop));
    }

    [Fact]
    public async Task ThreeWrongPinsEndTheCallAreLoggedAndNeverReachTheLoopOrTheMenu()
    {
        var sid = await CallInAsync();

        var first = await _app.TwimlAsync("/voice/operator-pin?attempt=1", Call(sid, from: OperatorPhone, extra: ("Digits", "1111")));
        Assert.Equal(["Say", "Gather", "Say", "Hangup"], Verbs(first));
        Assert.Equal("/voice/operator-pin?attempt=2", first.Element("Gather")!.Attribute("action")!.Value);
        var second = await _app.TwimlAsync("/voice/operator-pin?attempt=2", Call(sid, from: OperatorPhone));
        Assert.Equal("/voice/operator-pin?attempt=3", second.Element("Gather")!.Attribute("action")!.Value);
        var third = await _app.TwimlAsync("/voice/operator-pin?attempt=3", Call(sid, from: OperatorPhone, extra: ("Digits", "43210")));
        Assert.Equal(["Say", "Hangup"], Verbs(third));

        foreach (var doc in new[] { first, second, third })
        {
            Assert.DoesNotContain("/voice/menu", doc.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Enqueue", doc.ToString(), StringComparison.Ordinal);
            Assert.DoesNotContain("Dial", doc.ToString(), StringComparison.Ordinal);
        }

        Assert.Contains(_app.Logs.Lines, l => l.Contains("3 wrong PINs for operator +819033334444", StringComparison.Ordinal));
        Assert.Equal(3, (await _app.History.EventsAsync(default)).Count(e => e.Kind == "pin_failed"));
        var loop = await _app.TwimlAsync("/voice/operator", Call(sid, from: OperatorPhone));
        Assert.Equal(["Redirect"], Verbs(loop));
        Assert.Equal("/voice/incoming", loop.Element("Redirect")!.Value);
    }

    [Fact]
    public async Task AnAttemptNumberOutsideTheRangeCountsAsTheFirst()
    {
        var sid = await CallInAsync();
        var root = await _app.TwimlAsync("/voice/operator-pin?attempt=99", Call(sid, from: OperatorPhone, extra: ("Digits", "0000")));
        Assert.Equal("/voice/operator-pin?attempt=2", root.Element("Gather")!.Attribute("action")!.Value);
    }

    [Fact]
    public async Task ACustomerNeverReachesTheOperatorLoop()
    {
        await _app.Operators.AddAsync(OperatorPhone, null, SecretHasher.Hash(Pin), default);
        var customer = NewCallSid();
        await _app.TwimlAsync("/voice/incoming", Call(customer, status: "ringing"));

        var loop = await _app.TwimlAsync("/voice/operator", Call(customer));
        Assert.Equal("/voice/incoming", loop.Element("Redirect")!.Value);
        var pin = await _app.TwimlAsync("/voice/operator-pin?attempt=1", Call(customer, extra: ("Digits", Pin)));
        Assert.Equal(["Gather", "Redirect"], Verbs(pin));
        Assert.Equal("/voice/menu", pin.Element("Gather")!.Attribute("action")!.Value);
    }

    [Fact]
    public async Task ThePinIsStoredOnlyAsASaltedHash()
    {
        await CallInAsync();
        var stored = await _app.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT pin_hash FROM operator_directory"), default);
        Assert.StartsWith("pbkdf2-sha256$", stored, StringComparison.Ordinal);
        Assert.DoesNotContain(Pin, stored!.Split('$')[3], StringComparison.Ordinal);
        Assert.NotEqual(SecretHasher.Hash(Pin), SecretHasher.Hash(Pin));
        Assert.True(SecretHasher.Verify(Pin, stored));
        Assert.False(SecretHasher.Verify("4322", stored));
        Assert.False(SecretHasher.Verify(Pin, "pbkdf2-sha256$x$y$z"));
    }
}
