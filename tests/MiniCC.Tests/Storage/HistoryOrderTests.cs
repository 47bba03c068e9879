using Microsoft.Extensions.DependencyInjection;
using MiniCC.Storage;
using MiniCC.Twilio.Webhooks;
using static MiniCC.Tests.Storage.TestEvents;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

public sealed class SqliteHistoryOrderTests() : HistoryOrderTests("sqlite");

public sealed class MySqlHistoryOrderTests() : HistoryOrderTests("mysql");

public sealed class PostgresHistoryOrderTests() : HistoryOrderTests("postgres");

/// <summary>
/// With several instances, each with its own spool, a call's events can be stored out of order (one instance
/// replays its spool after another stored the call's later events). The derived history must not care.
/// </summary>
public abstract class HistoryOrderTests(string provider) : ProviderTests(provider)
{
    [SkippableFact]
    public async Task EventsStoredInReverseOrderDeriveTheSameHistory()
    {
        await App.Operators.AddAsync(OperatorPhone, null, default);
        var opId = (await App.Operators.FindAsync(OperatorPhone, default))!.Id;
        var op = NewCallSid();
        var customer = NewCallSid();
        HistoryEvent[] inOrder =
        [
            Event("incoming", op, 0, from: OperatorPhone, operatorId: opId),
            Event("sign_in", op, 0, from: OperatorPhone, operatorId: opId),
            Event("incoming", customer, 10),
            Event("ivr", customer, 15, extra: [("Digits", "9")], choice: "invalid"),
            Event("ivr", customer, 20, extra: [("Digits", "1")], choice: "operator"),
            Event("waiting", customer, 21, extra: [("QueueSid", QueueSid), ("QueueTime", "0")]),
            Event("pickup", customer, 51, extra: [("QueueSid", QueueSid), ("QueueTime", "30"), ("DequeingCallSid", op)]),
            Event("queue_exit", customer, 171, extra: [("QueueSid", QueueSid), ("QueueTime", "30"), ("QueueResult", "bridged")]),
            Event("call_end", customer, 171, extra: [("CallDuration", "161")]),
            Event("call_end", op, 600, from: OperatorPhone, extra: [("CallDuration", "600")]),
        ];
        var history = App.Services.GetRequiredService<HistoryWriter>();

        foreach (var e in inOrder.Reverse())
        {
            await history.WriteAsync(e);
        }

        var calls = (await App.History.CallsAsync(default)).ToDictionary(c => c.CallSid);
        Assert.Equal(("operator", (long?)opId), (calls[op].Role, calls[op].OperatorId));
        Assert.Equal("operator", calls[customer].IvrChoice);
        var visit = Assert.Single(await App.History.QueueVisitsAsync(default));
        Assert.Equal(("bridged", 30L, 120L, op, (long?)opId), (visit.Result, visit.WaitSeconds, visit.TalkSeconds, visit.OperatorCallSid, visit.OperatorId));
        var sessionEnded = await App.Database.ReadAsync(c => Dapper.SqlMapper.ExecuteScalarAsync<long?>(c,
            "SELECT ended_at FROM operator_sessions WHERE call_sid = @op", new { op }), default);
        Assert.Equal(MiniCCFactory.Start.AddSeconds(600).ToUnixTimeMilliseconds(), sessionEnded);
    }
}
