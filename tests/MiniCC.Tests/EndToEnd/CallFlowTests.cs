using MiniCC.Emulator;
using static MiniCC.Tests.EndToEnd.CallCenter;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.EndToEnd;

public sealed class SqliteCallFlowTests() : CallFlowTests("sqlite");

public sealed class MySqlCallFlowTests() : CallFlowTests("mysql");

public sealed class PostgresCallFlowTests() : CallFlowTests("postgres");

/// <summary>Every flow of the original, through the emulator against the real app: what callers heard, what was stored, the ground truth.</summary>
public abstract class CallFlowTests(string provider) : IDisposable
{
    private CallCenter? _center;

    private CallCenter Center => _center ??= Open(provider);

    private TwilioEmulator Twilio => Center.Twilio;

    public void Dispose()
    {
        _center?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<EmulatedCall> OperatorInLoopAsync(string phone = OperatorPhone)
    {
        await Center.AddOperatorAsync(phone, "Op " + phone[^4..]);
        var op = await Twilio.DialAsync(phone);
        // "Ready to take calls" is spoken, the Dial waits, and a caller already waiting hears the guidance first.
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.NotEqual(CallState.Completed, op.State);
        return op;
    }

    private async Task<EmulatedCall> CustomerInQueueAsync(string from = Customer)
    {
        var call = await Twilio.DialAsync(from);
        Assert.Equal(CallState.InProgress, call.State);
        await call.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(1));
        return call;
    }

    [SkippableFact]
    public async Task ACustomerPressesOneWaitsIsPickedUpTalksAndTheOperatorHangsUpFirst()
    {
        var customer = await CustomerInQueueAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallState.InQueue, customer.State);
        Assert.Contains(customer.Heard, h => h.Contains("1番目", StringComparison.Ordinal));

        var op = await OperatorInLoopAsync();
        Assert.Equal(CallState.Talking, customer.State);
        Assert.Contains(customer.Heard, h => h.Contains("オペレーターにおつなぎします", StringComparison.Ordinal));
        Assert.Same(op, customer.ConnectedTo);

        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(90));
        await op.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(CallState.Completed, customer.State);
        Assert.Contains("お電話ありがとうございました。", customer.Heard);
        var visit = Assert.Single(await Center.History.QueueVisitsAsync(default));
        Assert.Equal("bridged", visit.Result);
        Assert.Equal(customer.Truth.WaitSeconds, (int?)visit.WaitSeconds);
        Assert.Equal(customer.Truth.TalkSeconds, (int?)visit.TalkSeconds);
        Assert.Equal(op.CallSid, visit.OperatorCallSid);
        Assert.NotNull(visit.OperatorId);
        var calls = await Center.History.CallsAsync(default);
        Assert.Equal("completed", calls.Single(c => c.CallSid == customer.CallSid).FinalStatus);
        Assert.Equal("completed", calls.Single(c => c.CallSid == op.CallSid).FinalStatus);
        Assert.Equal(("bridged", true), (customer.Truth.QueueResult, customer.Truth.AnsweredAt is not null));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task TheCustomerHangsUpFirstAndTheOperatorTakesTheNextCall()
    {
        var op = await OperatorInLoopAsync();
        var customer = await CustomerInQueueAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallState.Talking, customer.State);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(45));
        await customer.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("後処理の時間です。受付を再開するときは1を、休憩するときは9を押してください。", op.Heard);
        Assert.NotEqual(CallState.WaitingForCaller, op.State); // after-call work: not offered a caller
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(35));

        Assert.Equal(CallState.Completed, customer.State);
        Assert.Equal(CallState.WaitingForCaller, op.State); // back in the loop
        var visit = Assert.Single(await Center.History.QueueVisitsAsync(default));
        Assert.Equal(("bridged", (long?)customer.Truth.TalkSeconds), (visit.Result, visit.TalkSeconds));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task ACustomerWhoHangsUpWhileWaitingIsAnAbandonedCall()
    {
        var customer = await CustomerInQueueAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(37));
        await customer.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(1));

        var visit = Assert.Single(await Center.History.QueueVisitsAsync(default));
        Assert.Equal("hangup", visit.Result);
        Assert.Null(visit.AnsweredAt);
        Assert.Equal(customer.Truth.WaitSeconds, (int?)visit.WaitSeconds);
        Assert.Equal(("hangup", (DateTimeOffset?)null), (customer.Truth.QueueResult, customer.Truth.AnsweredAt));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task PressingTwoPlaysTheProductInformationAndTheCallEnds()
    {
        var call = await Twilio.DialAsync(Customer);
        await call.PressAsync("2");
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(CallState.Completed, call.State);
        Assert.Contains(call.Heard, h => h.Contains("製品のご案内です", StringComparison.Ordinal));
        Assert.Equal("information", call.Truth.IvrChoice);
        Assert.Equal("information", (await Center.History.CallsAsync(default)).Single().IvrChoice);
        Assert.Empty(await Center.History.QueueVisitsAsync(default));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task AnInvalidKeyRePromptsAndThenOneWorks()
    {
        var call = await Twilio.DialAsync(Customer);
        await call.PressAsync("7");
        Assert.Contains("恐れ入りますが、もう一度番号をお選びください。", call.Heard);
        await call.PressAsync("1"); // during the retry prompt: it is inside the Gather, so it barges in
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(CallState.InQueue, call.State);
        Assert.Equal("operator", call.Truth.IvrChoice);
        var events = await Center.History.EventsAsync(default);
        Assert.Equal(["7", "1"], events.Where(e => e.Kind == "ivr").Select(e => e.Digits));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task TenSecondsWithoutInputQueuesTheCaller()
    {
        var call = await Twilio.DialAsync(Customer);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(40));

        Assert.Equal(CallState.InQueue, call.State);
        Assert.Contains(call.Heard, h => h.Contains("番号の入力が確認できませんでした", StringComparison.Ordinal));
        Assert.Equal("no-input", call.Truth.IvrChoice);
        Assert.Equal("no-input", (await Center.History.CallsAsync(default)).Single().IvrChoice);
        Assert.Single(await Center.History.QueueVisitsAsync(default));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task AnOperatorTakesThreeCustomersInARowWithAnEmptyQueueTimeoutBetween()
    {
        var op = await OperatorInLoopAsync();
        var first = await CustomerInQueueAsync("+819000000001");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(60));
        await first.HangUpAsync();
        var second = await CustomerInQueueAsync("+819000000002");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(60));
        await second.HangUpAsync();

        // Nobody calls for 3 minutes: the operator's Dial times out (60 s) and the loop dials again.
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(CallState.WaitingForCaller, op.State);
        Assert.True(op.Exchanges.Count(e => e.Url.EndsWith("/voice/operator", StringComparison.Ordinal)) >= 5);

        var third = await CustomerInQueueAsync("+819000000003");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(60));
        await third.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));

        var visits = await Center.History.QueueVisitsAsync(default);
        Assert.Equal(3, visits.Count);
        Assert.All(visits, v => Assert.Equal((op.CallSid, "bridged"), (v.OperatorCallSid, v.Result)));
        Assert.Equal([first.CallSid, second.CallSid, third.CallSid], new[] { first, second, third }.Where(c => c.Truth.AnsweredBy == OperatorPhone).Select(c => c.CallSid));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task TwoOperatorsFiveCustomersFirstInFirstOutAndPositionsGoDown()
    {
        var customers = new List<EmulatedCall>();
        for (var i = 1; i <= 5; i++)
        {
            customers.Add(await CustomerInQueueAsync($"+81900000000{i}"));
            await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        }

        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Contains(customers[4].Heard, h => h.Contains("5番目", StringComparison.Ordinal));
        var op1 = await OperatorInLoopAsync(OperatorPhone);
        var op2 = await OperatorInLoopAsync(SecondOperatorPhone);
        Assert.Equal([customers[0].CallSid, customers[1].CallSid], new[] { op1, op2 }.Select(o => o.ConnectedTo?.CallSid));

        // The waiting callers hear their new place when the hold music comes round again.
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(40));
        Assert.Contains(customers[4].Heard, h => h.Contains("3番目", StringComparison.Ordinal));
        // After each call an operator has 30 s of wrap-up: the next caller waits for its end.
        await customers[0].HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Null(customers[2].ConnectedTo);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(30));
        Assert.Same(op1, customers[2].ConnectedTo);
        await customers[1].HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(45));
        Assert.Same(op2, customers[3].ConnectedTo);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(40));
        Assert.Contains(customers[4].Heard, h => h.Contains("1番目", StringComparison.Ordinal));

        var answered = customers.Where(c => c.Truth.AnsweredAt is not null).OrderBy(c => c.Truth.AnsweredAt).ToList();
        Assert.Equal(customers.Take(4).Select(c => c.CallSid), answered.Select(c => c.CallSid));
        var visits = await Center.History.QueueVisitsAsync(default);
        Assert.Equal(customers.Take(4).Select(c => c.CallSid), visits.Where(v => v.AnsweredAt is not null).OrderBy(v => v.AnsweredAt).ThenBy(v => v.EnteredAt).Select(v => v.CallSid));
        Assert.Empty(Twilio.ApplicationErrors);
    }
}
