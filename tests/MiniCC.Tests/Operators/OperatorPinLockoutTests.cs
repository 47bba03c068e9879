using System.Net;
using System.Xml.Linq;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Operators;
using MiniCC.Security;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Operators;

public sealed class SqliteOperatorPinLockoutTests() : OperatorPinLockoutTests("sqlite")
{
    [Fact]
    public async Task WhenTheDatabaseCannotCountAWrongPinTheCallStillEndsAfterThree()
    {
        using var db = TestDatabase.Create("sqlite");
        using var app = new MiniCCFactory(new() { ["ConnectionStrings:MiniCC"] = db.ConnectionString + ";Default Timeout=1" });
        await AddOperatorAsync(app);
        var (sid, _) = await CallInAsync(app);

        // Another writer holds SQLite's write lock: the directory can still be read (WAL), nothing can be written.
        using (Storage.DatabaseLock.HoldSqlite(db.ConnectionString))
        {
            Assert.Equal("Gather", Verbs(await KeyAsync(app, sid, 1, "0001"))[1]);
            Assert.Equal("Gather", Verbs(await KeyAsync(app, sid, 2, "0002"))[1]);
            AssertEndedByTheCallLimit(await KeyAsync(app, sid, 3, "0003"));
        }

        Assert.Equal(3, app.Logs.Lines.Count(l => l.Contains($"could not count the wrong PIN of operator {OperatorPhone}", StringComparison.Ordinal)));
    }
}

public sealed class MySqlOperatorPinLockoutTests() : OperatorPinLockoutTests("mysql");

public sealed class PostgresOperatorPinLockoutTests() : OperatorPinLockoutTests("postgres");

/// <summary>
/// Caller ID can be spoofed and each call allows three PINs, so wrong PINs also count across calls and instances:
/// after <c>MiniCC:PinLockout:MaxFailures</c> the PIN is locked, whatever is keyed in, until the lock ends or is lifted.
/// </summary>
public abstract class OperatorPinLockoutTests(string provider) : ProviderTests(provider)
{
    private const string Pin = "4321";
    private const string LockedJa = "ロックされています";

    protected static async Task AddOperatorAsync(MiniCCFactory app) =>
        Assert.True(await app.Operators.AddAsync(OperatorPhone, "Sato", SecretHasher.Hash(Pin), default));

    /// <summary>A new call from the operator's number and MiniCC's first answer.</summary>
    protected static async Task<(string Sid, XElement Answer)> CallInAsync(MiniCCFactory app)
    {
        var sid = NewCallSid();
        return (sid, await app.TwimlAsync("/voice/incoming", Call(sid, from: OperatorPhone, status: "ringing")));
    }

    protected static Task<XElement> KeyAsync(MiniCCFactory app, string sid, int attempt, string digits) =>
        app.TwimlAsync($"/voice/operator-pin?attempt={attempt}", Call(sid, from: OperatorPhone, extra: ("Digits", digits)));

    /// <summary>A call that keys three wrong PINs, all the per-call limit allows; MiniCC's last answer.</summary>
    private static async Task<XElement> CallWithThreeWrongPinsAsync(MiniCCFactory app)
    {
        var (sid, first) = await CallInAsync(app);
        Assert.Equal(["Gather", "Say", "Hangup"], Verbs(first));
        var last = first;
        for (var attempt = 1; attempt <= 3; attempt++)
        {
            last = await KeyAsync(app, sid, attempt, "000" + attempt);
        }

        return last;
    }

    private static void AssertLockedOut(XElement answer, string words = LockedJa)
    {
        Assert.Equal(["Say", "Hangup"], Verbs(answer));
        Assert.Contains(words, answer.Element("Say")!.Value, StringComparison.Ordinal);
    }

    protected static void AssertEndedByTheCallLimit(XElement answer)
    {
        Assert.Equal(["Say", "Hangup"], Verbs(answer));
        Assert.DoesNotContain(LockedJa, answer.Element("Say")!.Value, StringComparison.Ordinal);
    }

    /// <summary>Nine wrong PINs over three calls, then a tenth on a fourth call: the default limit.</summary>
    private static async Task LockAsync(MiniCCFactory app)
    {
        for (var call = 0; call < 3; call++)
        {
            AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(app));
        }

        var (sid, _) = await CallInAsync(app);
        AssertLockedOut(await KeyAsync(app, sid, 1, "9999"));
    }

    private static async Task AssertTheRightPinEntersTheLoopAsync(MiniCCFactory app)
    {
        var (sid, first) = await CallInAsync(app);
        Assert.Equal("Gather", Verbs(first)[0]);
        var right = await KeyAsync(app, sid, 1, Pin);
        Assert.Equal(["Redirect"], Verbs(right));
        Assert.Equal("/voice/operator", right.Element("Redirect")!.Value);
    }

    [SkippableFact]
    public async Task WrongPinsOverSeveralCallsLockThePinAndThenEvenTheRightPinIsRefused()
    {
        await AddOperatorAsync(App);
        await LockAsync(App);
        Assert.Contains(App.Logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) &&
            l.Contains("10 wrong PINs for operator +819033334444 within 60 minutes; the PIN is locked until 2026-11-24 02:00:00Z", StringComparison.Ordinal));

        // A call that was already at the prompt keys the right PIN: refused, and it never reaches the loop.
        var sid = NewCallSid();
        AssertLockedOut(await KeyAsync(App, sid, 1, Pin));
        Assert.Equal("/voice/incoming", (await App.TwimlAsync("/voice/operator", Call(sid, from: OperatorPhone))).Element("Redirect")!.Value);

        // A new call is told at once, without being asked for the PIN.
        var (_, incoming) = await CallInAsync(App);
        AssertLockedOut(incoming);
        Assert.Contains("スーパーバイザー", incoming.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.Equal(2, App.Logs.Lines.Count(l => l.StartsWith("Warning", StringComparison.Ordinal) &&
            l.Contains("the PIN of operator +819033334444 is locked until 2026-11-24 02:00:00Z", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public async Task TheLockEndsWhenItsTimeHasPassedAndTheCountStartsAfresh()
    {
        await AddOperatorAsync(App);
        await LockAsync(App);

        App.Clock.Advance(TimeSpan.FromMinutes(59));
        AssertLockedOut((await CallInAsync(App)).Answer);
        App.Clock.Advance(TimeSpan.FromMinutes(2));

        // Nine more wrong PINs do not lock it again: the failures before the lock were spent on it.
        for (var call = 0; call < 3; call++)
        {
            AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(App));
        }

        await AssertTheRightPinEntersTheLoopAsync(App);
    }

    [SkippableFact]
    public async Task UnlockEndsTheLockAtOnce()
    {
        await AddOperatorAsync(App);
        await LockAsync(App);

        var lockout = App.Services.GetRequiredService<PinLockout>();
        Assert.True(await lockout.UnlockAsync(OperatorPhone, default));
        Assert.False(await lockout.UnlockAsync("+819099998888", default));
        Assert.Null((await App.Operators.FindAsync(OperatorPhone, default))!.PinLockedUntil);
        await AssertTheRightPinEntersTheLoopAsync(App);
    }

    [SkippableFact]
    public async Task TwoInstancesOnOneDatabaseShareTheCountAndTheLock()
    {
        await AddOperatorAsync(App);
        using var other = new MiniCCFactory(Provider, new() { ["ConnectionStrings:MiniCC"] = App.TestDatabase.ConnectionString });

        AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(App));
        AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(other));
        AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(App));
        var (sid, _) = await CallInAsync(other);
        AssertLockedOut(await KeyAsync(other, sid, 1, "9999"));

        AssertLockedOut(await KeyAsync(App, NewCallSid(), 1, Pin));
        AssertLockedOut((await CallInAsync(App)).Answer);
    }

    [SkippableFact]
    public async Task AReplayedWrongPinCountsOnce()
    {
        using var app = new MiniCCFactory(Provider, new() { ["MiniCC:PinLockout:MaxFailures"] = "2" });
        await AddOperatorAsync(app);
        var (sid, _) = await CallInAsync(app);
        Assert.Equal("Gather", Verbs(await KeyAsync(app, sid, 1, "0001"))[1]);
        Assert.Equal("Gather", Verbs(await KeyAsync(app, sid, 1, "0001"))[1]);
        AssertLockedOut(await KeyAsync(app, sid, 2, "0002"));
    }

    [SkippableFact]
    public async Task WrongPinsOlderThanTheWindowDoNotCount()
    {
        using var app = new MiniCCFactory(Provider, new()
        {
            ["MiniCC:PinLockout:MaxFailures"] = "4",
            ["MiniCC:PinLockout:WindowMinutes"] = "30",
        });
        await AddOperatorAsync(app);
        AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(app));
        app.Clock.Advance(TimeSpan.FromMinutes(31));
        AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(app));
        await AssertTheRightPinEntersTheLoopAsync(app);
    }

    [SkippableFact]
    public async Task TheRightPinClearsEarlierWrongOnes()
    {
        using var app = new MiniCCFactory(Provider, new() { ["MiniCC:PinLockout:MaxFailures"] = "4" });
        await AddOperatorAsync(app);
        AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(app));
        await AssertTheRightPinEntersTheLoopAsync(app);
        AssertEndedByTheCallLimit(await CallWithThreeWrongPinsAsync(app));
        await AssertTheRightPinEntersTheLoopAsync(app);
    }

    [SkippableTheory]
    [InlineData("en-US", "PIN locked until 11/24/2026 ", "Please contact your supervisor")]
    [InlineData("ja-JP", "暗証番号ロック中", "スーパーバイザー")]
    public async Task TheOperatorsPageShowsALockedPinAndTheCallerHearsWhy(string language, string shown, string heard)
    {
        using var app = new MiniCCFactory(Provider, new() { ["MiniCC:Language"] = language, ["MiniCC:PinLockout:MaxFailures"] = "1" });
        await AddOperatorAsync(app);
        var (sid, _) = await CallInAsync(app);
        AssertLockedOut(await KeyAsync(app, sid, 1, "0000"), heard);

        using var browser = await SignInForm.SignedInBrowserAsync(app);
        var page = WebUtility.HtmlDecode(await browser.GetStringAsync(new Uri("/operators", UriKind.Relative)));
        Assert.Contains(shown, page, StringComparison.Ordinal);

        Assert.True(await app.Services.GetRequiredService<PinLockout>().UnlockAsync(OperatorPhone, default));
        page = WebUtility.HtmlDecode(await browser.GetStringAsync(new Uri("/operators", UriKind.Relative)));
        Assert.DoesNotContain(shown, page, StringComparison.Ordinal);
    }
}
