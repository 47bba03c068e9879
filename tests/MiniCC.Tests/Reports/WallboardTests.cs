using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Reports;
using MiniCC.Storage;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Reports;

public sealed class SqliteWallboardTests() : WallboardTests("sqlite");

public sealed class MySqlWallboardTests() : WallboardTests("mysql");

public sealed class PostgresWallboardTests() : WallboardTests("postgres");

/// <summary>The wallboard's live part (who waits, what each operator does and since when), from webhooks, on every database.</summary>
public abstract class WallboardTests(string provider) : IDisposable
{
    private const string Suzuki = "+819055556666";
    private const string Tanaka = "+819077770000";
    private const string Kato = "+819088880000";

    private MiniCCFactory? _app;

    /// <summary>Created inside the test, so that a server that is not configured skips it.</summary>
    private MiniCCFactory App => _app ??= new MiniCCFactory(provider, new()
    {
        ["MiniCC:Reports:ServiceLevelTargetPercent"] = "90",
        ["MiniCC:Reports:AbandonRateTargetPercent"] = "7.5",
    });

    public void Dispose()
    {
        _app?.Dispose();
        GC.SuppressFinalize(this);
    }

    private static string Seconds(int s) => s.ToString(CultureInfo.InvariantCulture);

    private static string Caller(int n) => "+8190111100" + n.ToString("00", CultureInfo.InvariantCulture);

    private async Task<string> SignInAsync(string phone, string name)
    {
        await App.Operators.AddAsync(phone, name, default);
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/incoming", Call(sid, from: phone, status: "ringing"));
        return sid;
    }

    private async Task<string> WaitAsync(int n)
    {
        var sid = NewCallSid();
        await App.TwimlAsync("/voice/wait", Call(sid, from: Caller(n), extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        return sid;
    }

    private Task PickUpAsync(string sid, int n, int waited, string op) =>
        App.TwimlAsync("/voice/whisper", Call(sid, from: Caller(n), extra: [("QueueSid", QueueSid), ("QueueTime", Seconds(waited)), ("DequeingCallSid", op)]));

    private Task ExitAsync(string sid, int n, string result, int queueTime) =>
        App.TwimlAsync("/voice/queue-exit", Call(sid, from: Caller(n), extra: [("QueueResult", result), ("QueueSid", QueueSid), ("QueueTime", Seconds(queueTime))]));

    private void At(int seconds) => App.Clock.Advance(MiniCCFactory.Start.AddSeconds(seconds) - App.Clock.GetUtcNow());

    private Task<Wallboard> BoardAsync() => App.Services.GetRequiredService<LiveQuery>().WallboardAsync(default);

    private static DateTimeOffset T(int seconds) => MiniCCFactory.Start.AddSeconds(seconds);

    [SkippableFact]
    public async Task TheBoardListsTheWaitingCallersOldestFirstAndWhatEachSignedInOperatorDoesSinceWhen()
    {
        var sato = await SignInAsync(OperatorPhone, "Sato");
        var suzuki = await SignInAsync(Suzuki, "Suzuki");
        At(1);
        var tanaka = await SignInAsync(Tanaka, "Tanaka");
        var kato = await SignInAsync(Kato, "Kato");
        At(2);
        using (await App.PostAsync("/voice/status", Call(kato, from: Kato, status: "completed", extra: ("CallDuration", "2"))))
        {
        }

        At(5);
        var a = await WaitAsync(1);
        At(10);
        var b = await WaitAsync(2);
        At(15);
        var c = await WaitAsync(3);
        At(20);
        var d = await WaitAsync(4);
        At(30);
        await PickUpAsync(a, 1, 25, sato);
        At(32);
        await PickUpAsync(b, 2, 22, suzuki);
        At(50);
        await ExitAsync(b, 2, "bridged", 22);
        At(70);

        var board = await BoardAsync();
        Assert.Equal(T(70), board.At);
        Assert.Equal([(c, Caller(3), "MiniCC", T(15), 55L), (d, Caller(4), "MiniCC", T(20), 50L)],
            board.Callers.Select(w => (w.CallSid, w.FromNumber, w.QueueName, w.EnteredAt, w.WaitSeconds)));
        Assert.Equal((2L, 55L, 3L, 1L), (board.Waiting, board.LongestCurrentWaitSeconds, board.OperatorsSignedIn, board.OperatorsOnCall));
        Assert.Equal(
        [
            (sato, OperatorPhone, "Sato", T(0), OperatorStates.OnCall, T(30), 40L, Caller(1), a),
            (suzuki, Suzuki, "Suzuki", T(0), OperatorStates.Ready, T(50), 20L, null, null),
            (tanaka, Tanaka, "Tanaka", T(1), OperatorStates.Ready, T(1), 69L, null, null),
        ], board.Operators.Select(o => (o.CallSid, o.Phone, o.Name, o.SignedInAt, o.State, o.StateSince, o.StateSeconds, o.CustomerNumber, o.CustomerCallSid)));
        Assert.Equal((await App.Operators.FindAsync(Suzuki, default))!.Id, board.Operators[1].OperatorId);
        Assert.Equal((4L, 2L, 0L), (board.Today.Offered, board.Today.Answered, board.Today.Abandoned));

        // Sato's caller hangs up after their talk; d gives up waiting.
        At(80);
        await ExitAsync(d, 4, "hangup", 60);
        At(100);
        await ExitAsync(a, 1, "bridged", 25);
        At(101);
        board = await BoardAsync();
        Assert.Equal([c], board.Callers.Select(w => w.CallSid));
        Assert.Equal((1L, 86L, 0L), (board.Waiting, board.LongestCurrentWaitSeconds, board.OperatorsOnCall));
        var satoNow = board.Operators[0];
        Assert.Equal((OperatorStates.Ready, T(100), 1L, null, null), (satoNow.State, satoNow.StateSince, satoNow.StateSeconds, satoNow.CustomerNumber, satoNow.CustomerCallSid));
        Assert.Equal((4L, 2L, 1L), (board.Today.Offered, board.Today.Answered, board.Today.Abandoned));
    }

    [SkippableFact]
    public async Task TheTargetsComeFromTheSettingsAndTodaysNumbersAreMeasuredAgainstThem()
    {
        var op = await SignInAsync(OperatorPhone, "Sato");
        var board = await BoardAsync();
        Assert.Equal((90d, 7.5d), (board.ServiceLevelTargetPercent, board.AbandonRateTargetPercent));
        // No calls yet: 100% service level and no abandons.
        Assert.True(board.ServiceLevelOnTarget && board.AbandonRateOnTarget);

        // Ten callers: nine answered at once, one abandons after 30 s: 90% within T (on target), 10% abandoned (not).
        for (var n = 1; n <= 10; n++)
        {
            var sid = await WaitAsync(n);
            if (n < 10)
            {
                await PickUpAsync(sid, n, 0, op);
                await ExitAsync(sid, n, "bridged", 0);
            }
            else
            {
                App.Clock.Advance(TimeSpan.FromSeconds(30));
                await ExitAsync(sid, n, "hangup", 30);
            }
        }

        board = await BoardAsync();
        Assert.Equal((90d, 10d), (board.Today.ServiceLevelPercent, board.Today.AbandonRatePercent));
        Assert.True(board.ServiceLevelOnTarget);
        Assert.False(board.AbandonRateOnTarget);
    }

    [SkippableFact]
    public async Task AVisitOrSessionLeftOpenForMoreThanADayIsNotOnTheBoard()
    {
        await SignInAsync(OperatorPhone, "Sato");
        await WaitAsync(1);
        App.Clock.Advance(TimeSpan.FromHours(24) + TimeSpan.FromSeconds(1));
        var fresh = await WaitAsync(2);

        var board = await BoardAsync();
        Assert.Equal([fresh], board.Callers.Select(c => c.CallSid));
        Assert.Equal((1L, 0L), (board.Waiting, board.OperatorsSignedIn));
        Assert.Empty(board.Operators);
    }

    [SkippableFact]
    public async Task AnOperatorInWrapUpOrOnABreakShowsThatStateSinceItBeganAndNoCaller()
    {
        var sato = await SignInAsync(OperatorPhone, "Sato");
        var suzuki = await SignInAsync(Suzuki, "Suzuki");
        var caller = await WaitAsync(1);
        App.Clock.Advance(TimeSpan.FromSeconds(10));
        await PickUpAsync(caller, 1, 10, sato);
        App.Clock.Advance(TimeSpan.FromSeconds(60));
        await ExitAsync(caller, 1, "bridged", 10);
        // Sato's Dial ends with the call: the loop starts wrap-up. Suzuki presses 9, then 2 (lunch).
        await App.TwimlAsync("/voice/operator", Call(sato, from: OperatorPhone, extra: [("DialCallStatus", "completed")]));
        await App.TwimlAsync("/voice/operator-break", Call(suzuki, from: Suzuki, extra: [("Digits", "2")]));
        App.Clock.Advance(TimeSpan.FromSeconds(5));

        var board = await App.Services.GetRequiredService<LiveQuery>().WallboardAsync(default);
        var now = board.Operators.ToDictionary(o => o.Phone);
        Assert.Equal((OperatorStates.WrapUp, 5L, (string?)null, (string?)null), (now[OperatorPhone].State, now[OperatorPhone].StateSeconds, now[OperatorPhone].CustomerNumber, now[OperatorPhone].Reason));
        Assert.Equal((OperatorStates.Break, 5L, (string?)"lunch"), (now[Suzuki].State, now[Suzuki].StateSeconds, now[Suzuki].Reason));
        Assert.Equal(0, board.OperatorsOnCall);

        using var browser = await SignInForm.SignedInBrowserAsync(App);
        var html = await browser.GetStringAsync(new Uri("/wallboard", UriKind.Relative));
        Assert.Contains("後処理中", html, StringComparison.Ordinal);
        Assert.Contains("休憩中 (昼食)", html, StringComparison.Ordinal);
    }
}
