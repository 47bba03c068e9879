using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Operators;
using MiniCC.Storage;
using static MiniCC.Tests.Storage.TestEvents;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

public sealed class SqliteOperatorStateRowsTests() : OperatorStateRowsTests("sqlite");

public sealed class MySqlOperatorStateRowsTests() : OperatorStateRowsTests("mysql");

public sealed class PostgresOperatorStateRowsTests() : OperatorStateRowsTests("postgres");

/// <summary>
/// Operator states derived from the events, in any order of storing: an operator's state is their latest row, and the
/// end of the call that carries it puts them offline — never a state that sticks after the call is gone.
/// </summary>
public abstract class OperatorStateRowsTests(string provider) : ProviderTests(provider)
{
    private async Task<long> OperatorAsync()
    {
        await App.Operators.AddAsync(OperatorPhone, "Sato", default);
        return (await App.Operators.FindAsync(OperatorPhone, default))!.Id;
    }

    private async Task StoreAsync(IEnumerable<HistoryEvent> events)
    {
        var writer = App.Services.GetRequiredService<HistoryWriter>();
        foreach (var e in events)
        {
            await writer.WriteAsync(e);
        }
    }

    private Task<IReadOnlyList<(string State, string Cause)>> RowsAsync(long operatorId) =>
        App.Database.ReadAsync<IReadOnlyList<(string, string)>>(async c =>
            [.. (await c.QueryAsync<(string, string)>("SELECT state, cause FROM operator_states WHERE operator_id = @operatorId ORDER BY started_at, id",
                new { operatorId }))], default);

    private Task<CurrentState?> NowAsync(long operatorId) => App.Services.GetRequiredService<OperatorStateStore>().OfOperatorAsync(operatorId, default);

    private static HistoryEvent SignIn(string leg, int second, long operatorId, string state = OperatorStates.Ready, string? reason = null) =>
        ((SignIn)Event("sign_in", leg, second, from: OperatorPhone, operatorId: operatorId)) with { State = state, Reason = reason };

    [SkippableFact]
    public async Task SignInPickupAndTheCallsEndMakeReadyOnCallAndOffline()
    {
        var id = await OperatorAsync();
        var op = NewCallSid();
        var customer = NewCallSid();
        await StoreAsync(
        [
            SignIn(op, 0, id),
            Event("pickup", customer, 30, extra: [("QueueSid", QueueSid), ("QueueTime", "20"), ("DequeingCallSid", op)]),
            Event("call_end", op, 300, from: OperatorPhone, extra: [("CallDuration", "300")]),
        ]);

        Assert.Equal([("ready", "sign-in"), ("on-call", "pickup"), ("offline", "call-end")], await RowsAsync(id));
        Assert.Equal((OperatorStates.Offline, MiniCCFactory.Start.AddSeconds(300).ToUnixTimeMilliseconds()),
            ((await NowAsync(id))!.State, (await NowAsync(id))!.StartedAt));
    }

    [SkippableFact]
    public async Task ACallsEndStoredBeforeItsSignInStillLeavesTheOperatorOffline()
    {
        var id = await OperatorAsync();
        var op = NewCallSid();
        await StoreAsync(
        [
            Event("call_end", op, 300, from: OperatorPhone, extra: [("CallDuration", "300")]),
            SignIn(op, 0, id),
        ]);

        Assert.Equal(OperatorStates.Offline, (await NowAsync(id))!.State);
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ADeskThatCallsAgainForABreakStaysOnBreakWhenItsOldCallEnds(bool endStoredFirst)
    {
        var id = await OperatorAsync();
        var first = NewCallSid();
        var second = NewCallSid();
        HistoryEvent end = Event("call_end", first, 100, from: OperatorPhone, extra: [("CallDuration", "100")]);
        HistoryEvent again = SignIn(second, 101, id, OperatorStates.Break, "lunch");
        await StoreAsync([SignIn(first, 0, id), .. endStoredFirst ? new[] { end, again } : [again, end]]);

        var now = (await NowAsync(id))!;
        Assert.Equal((OperatorStates.Break, "lunch", second), (now.State, now.Reason, now.CallSid));
    }

    [SkippableFact]
    public async Task AStateChangeStoredTwiceCountsOnce()
    {
        var id = await OperatorAsync();
        var op = NewCallSid();
        var change = new OperatorStateChanged
        {
            Hook = SignIn(op, 0, id).Hook, At = MiniCCFactory.Start.AddSeconds(60).ToUnixTimeMilliseconds(), Id = "state-1",
            OperatorId = id, State = OperatorStates.Break, Reason = "break", Cause = "key",
        };
        await StoreAsync([SignIn(op, 0, id), change, change]);

        Assert.Equal([("ready", "sign-in"), ("break", "key")], await RowsAsync(id));
    }
}
