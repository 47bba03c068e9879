using Microsoft.Extensions.DependencyInjection;
using MiniCC.Storage;
using static MiniCC.Tests.Storage.TestEvents;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

/// <summary>A queue's recent past as the flows record it, written through the writer, for the wait estimate's tests.</summary>
internal sealed class WaitHistory(MiniCCFactory app)
{
    private readonly HistoryWriter _writer = app.Services.GetRequiredService<HistoryWriter>();

    public async Task StoreAsync(params HistoryEvent[] events)
    {
        foreach (var e in events)
        {
            Assert.True(await _writer.WriteAsync(e), $"{e.GetType().Name} was not stored");
        }
    }

    /// <summary>An operator (a new phone) signed in on a new call at <paramref name="second"/>: ready. Returns their id and call.</summary>
    public async Task<(long Id, string Leg)> OperatorAsync(string phone, int second)
    {
        await app.Operators.AddAsync(phone, null, default);
        var id = (await app.Operators.FindAsync(phone, default))!.Id;
        var leg = NewCallSid();
        await StoreAsync(((SignIn)Event("sign_in", leg, second, from: phone, operatorId: id)) with { OperatorPhone = phone });
        return (id, leg);
    }

    public Task StateAsync((long Id, string Leg) op, int second, string state, string? reason = null) =>
        StoreAsync(new OperatorStateChanged
        {
            Hook = Event("incoming", op.Leg, second).Hook, At = At(second), Id = Guid.NewGuid().ToString("N"),
            OperatorId = op.Id, State = state, Reason = reason, Cause = "key",
        });

    /// <summary>A caller who entered the queue at <paramref name="entered"/> and was picked up by <paramref name="op"/> <paramref name="waited"/> s later.</summary>
    public async Task<string> PickedUpAsync((long Id, string Leg) op, int entered, int waited, string queue = "MiniCC")
    {
        var sid = NewCallSid();
        await StoreAsync(
            ((Waiting)Event("waiting", sid, entered, extra: [("QueueSid", QueueSid), ("QueueTime", "0")])) with { Queue = queue },
            ((Pickup)Event("pickup", sid, entered + waited, extra: [("QueueSid", QueueSid), ("QueueTime", Text(waited)), ("DequeingCallSid", op.Leg)])) with { Queue = queue });
        return sid;
    }

    /// <summary>The talk of a picked-up caller ends at <paramref name="second"/>.</summary>
    public Task BridgedEndsAsync(string sid, int second, int waited, string queue = "MiniCC") =>
        StoreAsync(((QueueExit)Event("queue_exit", sid, second, extra: [("QueueSid", QueueSid), ("QueueResult", "bridged"), ("QueueTime", Text(waited))])) with { Queue = queue });

    /// <summary>A caller who hung up after waiting <paramref name="waited"/> s.</summary>
    public Task AbandonedAsync(int entered, int waited, string queue = "MiniCC")
    {
        var sid = NewCallSid();
        return StoreAsync(
            ((Waiting)Event("waiting", sid, entered, extra: [("QueueSid", QueueSid), ("QueueTime", "0")])) with { Queue = queue },
            ((QueueExit)Event("queue_exit", sid, entered + waited, extra: [("QueueSid", QueueSid), ("QueueResult", "hangup"), ("QueueTime", Text(waited))])) with { Queue = queue });
    }

    /// <summary>
    /// <paramref name="calls"/> answered calls of one operator, one after another from <paramref name="from"/>: each waits 3 s,
    /// talks <paramref name="talk"/> s, then the operator wraps up for <paramref name="wrapUp"/> s and is ready again. Returns
    /// the second the last wrap-up ended. Each caller enters a second after the operator is ready: nobody waits for a pickup.
    /// </summary>
    public async Task<int> AnsweredCallsAsync((long Id, string Leg) op, int from, int calls, int talk, int wrapUp)
    {
        var t = from;
        for (var i = 0; i < calls; i++)
        {
            var sid = await PickedUpAsync(op, t, 3);
            await BridgedEndsAsync(sid, t + 3 + talk, 3);
            await StateAsync(op, t + 3 + talk, OperatorStates.WrapUp);
            await StateAsync(op, t + 3 + talk + wrapUp, OperatorStates.Ready);
            t += 3 + talk + wrapUp + 1;
        }

        return t;
    }

    public static long At(int second) => MiniCCFactory.Start.AddSeconds(second).ToUnixTimeMilliseconds();

    private static string Text(int n) => n.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
