using MiniCC.Storage;
using MiniCC.Voice;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

public sealed class SqliteWaitSituationTests() : WaitSituationTests("sqlite");

public sealed class MySqlWaitSituationTests() : WaitSituationTests("mysql");

public sealed class PostgresWaitSituationTests() : WaitSituationTests("postgres");

/// <summary>What the wait estimate reads from the database, on every database: who is staffed now, and the queue's recent past.</summary>
public abstract class WaitSituationTests(string provider) : ProviderTests(provider)
{
    [SkippableFact]
    public async Task TheStaffedOperatorsTheHandleTimeThePatienceAndThePickupLagAreReadFromTheWindowOnly()
    {
        var h = new WaitHistory(App);
        var a = await h.OperatorAsync(OperatorPhone, 0);
        await h.OperatorAsync(SecondOperatorPhone, 100);
        var onBreak = await h.OperatorAsync("+819077778888", 200);
        await h.StateAsync(onBreak, 300, OperatorStates.Break, "lunch");
        var offline = await h.OperatorAsync("+819099990000", 400);
        await h.StoreAsync(Storage.TestEvents.Event("call_end", offline.Leg, 500, from: "+819099990000", extra: [("CallDuration", "100")]));

        // Before the window (it starts at 1000 s): a call and an abandon that do not count.
        var early = await h.PickedUpAsync(a, 10, 5);
        await h.BridgedEndsAsync(early, 200, 5);
        await h.AbandonedAsync(500, 30);

        // Within it: three calls of 120 s with 30 s of wrap-up each, then one of 97 s, and a caller who entered during
        // its wrap-up and was picked up 8 s after the operator became ready; two abandons; one abandon in another queue.
        var end = await h.AnsweredCallsAsync(a, 1000, calls: 3, talk: 120, wrapUp: 30);
        Assert.True(end < 1500);
        var fifth = await h.PickedUpAsync(a, 1500, 3);
        await h.BridgedEndsAsync(fifth, 1600, 3);
        await h.StateAsync(a, 1600, OperatorStates.WrapUp);
        await h.StateAsync(a, 1630, OperatorStates.Ready);
        var lagged = await h.PickedUpAsync(a, 1610, 28);
        await h.BridgedEndsAsync(lagged, 1738, 28);
        await h.StateAsync(a, 1738, OperatorStates.WrapUp);
        await h.StateAsync(a, 1768, OperatorStates.Ready);
        await h.AbandonedAsync(2000, 40);
        await h.AbandonedAsync(2100, 20);
        await h.AbandonedAsync(2200, 50, queue: "Other");
        // Now on a call with a caller still talking: staffed, and the call is not over yet.
        await h.PickedUpAsync(a, 2990, 10);

        var s = await WaitSituation.ReadAsync(App.Database, "MiniCC", WaitHistory.At(1000), WaitHistory.At(5000), default);

        Assert.Equal(
            [(OperatorStates.OnCall, WaitHistory.At(3000)), (OperatorStates.Ready, WaitHistory.At(100))],
            s.Staffed.Select(o => (o.State, o.Since)).OrderBy(o => o.State, StringComparer.Ordinal));
        Assert.Equal((5L, (3 * 120L) + 97 + 100, 5 * 30L), (s.RecentCalls, s.TalkSeconds, s.WrapUpSeconds));
        Assert.Equal((2L, (3 * 3L) + 3 + 28 + 40 + 20), (s.Abandons, s.WaitSeconds));
        Assert.Equal(8, s.PickupLagSeconds);
        Assert.Equal(557.0 / 5, s.TalkPerCall);
        Assert.Equal(30, s.WrapUpPerCall);
        Assert.Equal(2.0 / 100, s.AbandonsPerWaitSecond);
    }

    [SkippableFact]
    public async Task AnEmptyHistoryHasNobodyStaffedAndNoCalls()
    {
        var s = await WaitSituation.ReadAsync(App.Database, "MiniCC", WaitHistory.At(0), WaitHistory.At(3600), default);
        Assert.Equal((0, 0L, 0L, 0L), (s.Staffed.Count, s.RecentCalls, s.Abandons, s.WaitSeconds));
        Assert.Null(s.TalkPerCall);
        Assert.Equal(0, s.PickupLagSeconds);
    }
}
