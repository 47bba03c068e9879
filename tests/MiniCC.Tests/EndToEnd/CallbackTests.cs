using Dapper;
using MiniCC.Emulator;
using static MiniCC.Tests.EndToEnd.CallCenter;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.EndToEnd;

public sealed class SqliteCallbackTests() : CallbackTests("sqlite");

public sealed class MySqlCallbackTests() : CallbackTests("mysql");

public sealed class PostgresCallbackTests() : CallbackTests("postgres");

/// <summary>Callbacks through the emulator: asked for in the queue, keeping the caller's place, dialed by the operator's loop.</summary>
public abstract class CallbackTests(string provider) : IDisposable
{
    public const string CenterNumber = "+81501234567";
    private const string Later = "+819077778888";

    private CallCenter? _center;

    private int _maxAttempts = 3;

    private CallCenter Center => _center ??= Open(provider, Settings(_maxAttempts));

    private TwilioEmulator Twilio => Center.Twilio;

    public static Dictionary<string, string?> Settings(int maxAttempts = 3) => new()
    {
        ["MiniCC:Callbacks:CallerId"] = CenterNumber,
        ["MiniCC:Callbacks:MaxAttempts"] = maxAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MiniCC:Callbacks:RetryMinutes"] = "5",
        ["MiniCC:OperatorStates:WrapUpSeconds"] = "0",
    };

    public void Dispose()
    {
        _center?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>An operator in the loop, talking to a first caller, so that the next callers wait.</summary>
    private async Task<(EmulatedCall Operator, EmulatedCall First)> BusyOperatorAsync()
    {
        await Center.AddOperatorAsync(OperatorPhone, "Sato");
        var op = await Twilio.DialAsync(OperatorPhone);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        var first = await Twilio.DialAsync("+819000000001");
        await first.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Same(op, first.ConnectedTo);
        return (op, first);
    }

    private async Task<EmulatedCall> InQueueAsync(string from)
    {
        var call = await Twilio.DialAsync(from);
        await call.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Equal(CallState.InQueue, call.State);
        return call;
    }

    /// <summary>The caller in the queue asks for a callback (*) and confirms their own number (1); the request is taken.</summary>
    private async Task ConfirmCallbackAsync(EmulatedCall asker)
    {
        await asker.PressAsync("*");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        await asker.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
    }

    private Task<IReadOnlyList<(string Number, string Status, long Attempts, string? LastResult)>> CallbacksAsync() =>
        Center.App.Database.ReadAsync<IReadOnlyList<(string, string, long, string?)>>(async c =>
            [.. await c.QueryAsync<(string, string, long, string?)>("SELECT number, status, attempts, last_result FROM callbacks ORDER BY id")], default);

    [SkippableFact]
    public async Task ACallerStillHearingTheCallbackConfirmationIsTakenFromTheQueueNotCalledBackAtTheSameTime()
    {
        var (op, first) = await BusyOperatorAsync();
        var asker = await InQueueAsync(Customer);
        var phone = Twilio.RegisterPhone(Customer);
        await asker.PressAsync("*");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        await asker.PressAsync("1");

        // The operator is free while the request is read back, before the caller's <Leave>: the caller is still in line,
        // so the operator takes them from the queue, and nobody dials them as well.
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(1));
        Assert.Equal(CallState.InQueue, asker.State);
        await first.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(op, asker.ConnectedTo);
        Assert.Null(phone.Ringing);
        Assert.DoesNotContain(op.Heard, h => h.StartsWith("折り返しのお電話です", StringComparison.Ordinal));
        Assert.Equal([(Customer, "cancelled", 0L, (string?)null)], await CallbacksAsync());
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task ACallbackKeepsTheCallersPlaceAndIsDialedBeforeACallerWhoCameLater()
    {
        var (op, first) = await BusyOperatorAsync();
        var asker = await InQueueAsync(Customer);
        var phone = Twilio.RegisterPhone(Customer);
        Assert.Contains("順番を保ったまま折り返しのお電話をご希望の方は、アスタリスクを押してください。", asker.Heard);

        // * asks for the callback; 1 confirms the caller ID, read back digit by digit in the national form.
        await asker.PressAsync("*");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains("0 9 0 1 1 1 1 2 2 2 2 に折り返しお電話します。よろしければ1を、別の番号をご希望の方は2を押してください。", asker.Heard);
        await asker.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("承りました。順番が来ましたら 0 9 0 1 1 1 1 2 2 2 2 にお電話いたします。このままお電話をお切りください。", asker.Heard);
        Assert.Equal(CallState.Completed, asker.State);
        Assert.Equal("leave", asker.Truth.QueueResult);

        // A caller who comes later hears the callback ahead of them in their place.
        var later = await InQueueAsync(Later);
        Assert.Contains("大変お待たせしております。お客様の順番は、2番目です。", later.Heard);

        // The operator's call ends: the loop dials the callback first, telling the operator whom.
        await first.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(8));
        Assert.Contains("折り返しのお電話です。0 9 0 1 1 1 1 2 2 2 2 におかけします。", op.Heard);
        var ringing = phone.Ringing;
        Assert.NotNull(ringing);
        Assert.Equal(CenterNumber, ringing.Parameters["From"]);
        var customer = await ringing.AcceptAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Contains("ミニコールセンターです。ご依頼いただいた折り返しのお電話です。オペレーターにおつなぎします。", customer.Heard);
        Assert.Same(op, customer.ConnectedTo);
        Assert.Equal(CallState.InQueue, later.State);

        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(60));
        await customer.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Same(op, later.ConnectedTo);
        Assert.Equal([(Customer, "completed", 1L, (string?)"completed")], await CallbacksAsync());
        var dialedBy = await Center.App.Database.ReadAsync(c => c.ExecuteScalarAsync<long?>("SELECT operator_id FROM callbacks"), default);
        Assert.Equal((await Center.App.Operators.FindAsync(OperatorPhone, default))!.Id, dialedBy);
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task ACallbackWhoseOperatorHangsUpTheConversationIsCompletedAndNeverDialedAgain()
    {
        var (op, first) = await BusyOperatorAsync();
        var asker = await InQueueAsync(Customer);
        var phone = Twilio.RegisterPhone(Customer);
        await ConfirmCallbackAsync(asker);
        await first.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(8));
        var answered = Twilio.Now;
        var customer = await phone.Ringing!.AcceptAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(op, customer.ConnectedTo);

        // The operator ends the conversation by hanging up: Twilio does not promise the Dial's action once its call is
        // gone (the emulator does not request it), so only the customer's answer tells MiniCC the callback was made.
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(40));
        await op.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([(Customer, "completed", 1L, (string?)"answered")], await CallbacksAsync());

        // The operator calls in again, and long after the retry spacing the customer has not been called a second time.
        await Twilio.DialAsync(OperatorPhone);
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(15));
        Assert.Single(phone.IncomingCalls);
        var answeredAt = await Center.App.Database.ReadAsync(c => c.ExecuteScalarAsync<long?>("SELECT completed_at FROM callbacks"), default);
        Assert.Equal(answered.ToUnixTimeMilliseconds(), answeredAt);
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task ABusyNumberIsTriedAgainAfterTheSpacingThenListedForAPerson()
    {
        _maxAttempts = 2;
        var (op, first) = await BusyOperatorAsync();
        var asker = await InQueueAsync(Customer);
        var phone = Twilio.RegisterPhone(Customer);
        await ConfirmCallbackAsync(asker);
        await first.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(8));

        // The line is busy: the operator is free again at once, and the callback waits for its next try.
        await phone.Ringing!.RejectAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        Assert.Equal([(Customer, "pending", 1L, (string?)"busy")], await CallbacksAsync());
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(4));
        Assert.Single(phone.IncomingCalls);

        // Five minutes on, the next time the loop comes round, it is dialed again; busy again, it is listed as failed.
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(2, phone.IncomingCalls.Count);
        await phone.Ringing!.RejectAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromMinutes(10));
        Assert.Equal(2, phone.IncomingCalls.Count);
        Assert.Equal([(Customer, "failed", 2L, (string?)"busy")], await CallbacksAsync());
        Assert.Equal(CallState.WaitingForCaller, op.State);
        Assert.Empty(Twilio.ApplicationErrors);
    }

    [SkippableFact]
    public async Task AnAnonymousCallerKeysInANumberAndWhatIsNoPhoneNumberIsAskedAgainNeverStored()
    {
        await BusyOperatorAsync();
        var asker = await InQueueAsync("anonymous");
        await asker.PressAsync("*");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains("折り返し先の電話番号を市外局番から入力し、最後にシャープを押してください。", asker.Heard);

        await asker.PressAsync("12#");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains("恐れ入りますが、その番号にはおかけできません。", asker.Heard);
        Assert.Equal(CallState.InQueue, asker.State);
        Assert.Empty(await CallbacksAsync());

        await asker.PressAsync("0312345678#");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Contains("承りました。順番が来ましたら 0 3 1 2 3 4 5 6 7 8 にお電話いたします。このままお電話をお切りください。", asker.Heard);
        Assert.Equal([("+81312345678", "pending", 0L, (string?)null)], await CallbacksAsync());
    }

    [SkippableFact]
    public async Task ACallerWhoseNumberHasACallbackWaitingIsToldSoAndKeepsWaiting()
    {
        await BusyOperatorAsync();
        var asker = await InQueueAsync(Customer);
        await ConfirmCallbackAsync(asker);

        var again = await InQueueAsync(Customer);
        await again.PressAsync("*");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(10));
        Assert.Contains("折り返しのご依頼はすでに承っております。順番が来ましたらお電話いたします。", again.Heard);
        Assert.Equal(CallState.InQueue, again.State);
        Assert.Single(await CallbacksAsync());
    }

    [SkippableFact]
    public async Task WithNoOperatorSignedInTheCallerIsToldAtOnceAndMayAskForACallback()
    {
        var caller = await Twilio.DialAsync(Customer);
        await caller.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(8));
        Assert.Contains("ただいま対応できるオペレーターがおりません。", caller.Heard);
        Assert.Contains("折り返しのお電話をご希望の方は1を押してください。", caller.Heard);
        Assert.False(caller.Truth.Queued);

        await caller.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        await caller.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Equal(CallState.Completed, caller.State);
        Assert.Equal([(Customer, "pending", 0L, (string?)null)], await CallbacksAsync());

        // The first operator to sign in calls them back.
        var phone = Twilio.RegisterPhone(Customer);
        await Center.AddOperatorAsync(OperatorPhone, "Sato");
        var op = await Twilio.DialAsync(OperatorPhone);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.NotNull(phone.Ringing);
        var customer = await phone.Ringing.AcceptAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        Assert.Same(op, customer.ConnectedTo);
    }
}
