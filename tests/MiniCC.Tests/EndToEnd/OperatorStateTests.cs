using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Emulator;
using MiniCC.Operators;
using MiniCC.Storage;
using static MiniCC.Tests.EndToEnd.CallCenter;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.EndToEnd;

public sealed class SqliteOperatorStateTests() : OperatorStateTests("sqlite");

public sealed class MySqlOperatorStateTests() : OperatorStateTests("mysql");

public sealed class PostgresOperatorStateTests() : OperatorStateTests("postgres");

/// <summary>A phone operator's day with states, through the emulator: wrap-up after a call, a break by keys, back to ready.</summary>
public abstract class OperatorStateTests(string provider) : IDisposable
{
    private CallCenter? _center;

    private CallCenter Center => _center ??= Open(provider);

    private TwilioEmulator Twilio => Center.Twilio;

    public void Dispose()
    {
        _center?.Dispose();
        GC.SuppressFinalize(this);
    }

    private async Task<(EmulatedCall Call, long Id)> OperatorInLoopAsync()
    {
        await Center.AddOperatorAsync(OperatorPhone, "Sato");
        var op = await Twilio.DialAsync(OperatorPhone);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        return (op, (await Center.App.Operators.FindAsync(OperatorPhone, default))!.Id);
    }

    private async Task<EmulatedCall> CustomerInQueueAsync(string from = Customer)
    {
        var call = await Twilio.DialAsync(from);
        await call.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(1));
        return call;
    }

    private async Task<string?> StateAsync(long operatorId) =>
        (await Center.App.Services.GetRequiredService<OperatorStateStore>().OfOperatorAsync(operatorId, default))?.State;

    private Task<IReadOnlyList<(string State, string? Reason, string Cause)>> RowsAsync(long operatorId) =>
        Center.App.Database.ReadAsync<IReadOnlyList<(string, string?, string)>>(async c =>
            [.. await c.QueryAsync<(string, string?, string)>(
                "SELECT state, reason, cause FROM operator_states WHERE operator_id = @operatorId ORDER BY started_at, id", new { operatorId })], default);

    [SkippableFact]
    public async Task APhoneOperatorWrapsUpTakesABreakWithKeysAndComesBackForTheNextCaller()
    {
        var (op, id) = await OperatorInLoopAsync();
        Assert.Equal(OperatorStates.Ready, await StateAsync(id));
        var first = await CustomerInQueueAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Same(op, first.ConnectedTo);
        Assert.Equal(OperatorStates.OnCall, await StateAsync(id));

        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(60));
        await first.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        Assert.Equal(OperatorStates.WrapUp, await StateAsync(id));

        // A caller arrives during wrap-up: they wait, however long the operator's note takes.
        var second = await CustomerInQueueAsync("+819011112222");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(CallState.InQueue, second.State);

        // 9 during wrap-up asks for the break's reason; 2 is the second reason (lunch).
        await op.PressAsync("9");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(8));
        Assert.Contains("休憩の理由を番号で選んでください。", op.Heard);
        Assert.Contains("2番、昼食。", op.Heard);
        await op.PressAsync("2");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Contains("休憩中です。受付を再開するときは1を押してください。", op.Heard);
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(OperatorStates.Break, await StateAsync(id));
        Assert.Equal(CallState.InQueue, second.State);

        // 1 ends the break: the waiting caller is handed over.
        await op.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(op, second.ConnectedTo);
        await op.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));

        Assert.Equal(
            [
                ("ready", null, "sign-in"), ("on-call", null, "pickup"), ("wrap-up", null, "loop"), ("break", "lunch", "key"),
                ("ready", null, "key"), ("on-call", null, "pickup"), ("offline", null, "call-end"),
            ],
            await RowsAsync(id));
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task OneEndsWrapUpEarly()
    {
        var (op, id) = await OperatorInLoopAsync();
        var first = await CustomerInQueueAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(30));
        await first.HangUpAsync();
        var second = await CustomerInQueueAsync("+819011112222");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(OperatorStates.WrapUp, await StateAsync(id));

        await op.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));

        Assert.Same(op, second.ConnectedTo);
        Assert.Equal(OperatorStates.OnCall, await StateAsync(id));
    }

    [SkippableFact]
    public async Task NineWhileReadyStartsABreakAndNoCallerIsHandedOver()
    {
        await Center.AddOperatorAsync(OperatorPhone, "Sato");
        var op = await Twilio.DialAsync(OperatorPhone);
        var id = (await Center.App.Operators.FindAsync(OperatorPhone, default))!.Id;
        // 9 during the ready prompt (said each time the loop comes round) asks for the reason.
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        await op.PressAsync("9");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(2));
        await op.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Equal(OperatorStates.Break, await StateAsync(id));

        var customer = await CustomerInQueueAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(3));
        Assert.Equal(CallState.InQueue, customer.State);
        Assert.Equal(("break", (string?)"break", "key"), (await RowsAsync(id))[^1]);
    }
}
