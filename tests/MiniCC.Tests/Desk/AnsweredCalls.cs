using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Desk;

/// <summary>The webhooks real calls make, for the tests of what happens after a call: an operator in the loop, a caller they answer.</summary>
public static class AnsweredCalls
{
    /// <summary>Registers <paramref name="phone"/> as an operator and has it call in; returns its operator id and the CallSid of its leg.</summary>
    public static async Task<(long OperatorId, string CallSid)> OperatorInLoopAsync(this MiniCCFactory app, string phone = OperatorPhone, string name = "佐藤")
    {
        await app.Operators.AddAsync(phone, name, default);
        var leg = NewCallSid();
        await app.TwimlAsync("/voice/incoming", Call(leg, from: phone, status: "ringing"));
        return ((await app.Operators.FindAsync(phone, default))!.Id, leg);
    }

    /// <summary>
    /// A customer who presses 1, waits <paramref name="waitSeconds"/>, is picked up by the operator's leg
    /// <paramref name="operatorLeg"/> (the <c>&lt;Queue url&gt;</c> request names it), talks a minute and hangs up.
    /// </summary>
    public static async Task<string> AnsweredByAsync(this MiniCCFactory app, string operatorLeg, int waitSeconds = 10)
    {
        var sid = await app.CallerWaitingAsync();
        var queueTime = waitSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        app.Clock.Advance(TimeSpan.FromSeconds(waitSeconds));
        await app.TwimlAsync("/voice/whisper", Call(sid, extra: [("QueueSid", QueueSid), ("QueueTime", queueTime), ("DequeingCallSid", operatorLeg)]));
        app.Clock.Advance(TimeSpan.FromSeconds(60));
        await app.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", queueTime)]));
        using var _ = await app.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "75")));
        return sid;
    }

    /// <summary>A customer who presses 1 and hangs up while waiting: a call nobody answered.</summary>
    public static async Task<string> AbandonedAsync(this MiniCCFactory app)
    {
        var sid = await app.CallerWaitingAsync();
        app.Clock.Advance(TimeSpan.FromSeconds(30));
        await app.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", "hangup"), ("QueueSid", QueueSid), ("QueueTime", "30")]));
        return sid;
    }

    private static async Task<string> CallerWaitingAsync(this MiniCCFactory app)
    {
        var sid = NewCallSid();
        await app.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));
        await app.TwimlAsync("/voice/menu", Call(sid, extra: ("Digits", "1")));
        await app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        return sid;
    }
}
