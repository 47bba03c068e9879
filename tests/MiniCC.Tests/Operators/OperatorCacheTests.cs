using Dapper;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Operators;

/// <summary>The operator lookup on /voice/incoming costs no database round trip per call in steady state.</summary>
public sealed class OperatorCacheTests : IDisposable
{
    private readonly MiniCCFactory _app = new();

    public void Dispose() => _app.Dispose();

    private async Task<string> FirstVerbAsync(string from) =>
        (await _app.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: from))).Elements().First().Name.LocalName;

    private int LookupFailures => _app.Logs.Lines.Count(l => l.Contains("Operator lookup failed", StringComparison.Ordinal));

    [Fact]
    public async Task WithinTheCacheTimeCallsDoNotReadTheDirectory()
    {
        await _app.Operators.AddAsync(OperatorPhone, null, default);
        Assert.Equal("Redirect", await FirstVerbAsync(OperatorPhone));
        // The directory becomes unreadable: only a call that reads it would notice.
        await _app.Database.WriteAsync((c, tx) => c.ExecuteAsync("ALTER TABLE operator_directory RENAME TO directory_away", transaction: tx), default);

        for (var i = 0; i < 20; i++)
        {
            Assert.Equal("Gather", await FirstVerbAsync(Customer));
        }

        Assert.Equal("Redirect", await FirstVerbAsync(OperatorPhone));
        Assert.Equal(0, LookupFailures);

        _app.Clock.Advance(TimeSpan.FromSeconds(5)); // MiniCC:OperatorCacheSeconds
        Assert.Equal("Redirect", await FirstVerbAsync(OperatorPhone)); // read again, failed, the copy still serves
        Assert.Equal(1, LookupFailures);
    }

    [Fact]
    public async Task AnOperatorAddedElsewhereIsRecognisedOnceTheCacheTimeHasPassed()
    {
        Assert.Equal("Gather", await FirstVerbAsync(OperatorPhone));
        // As another instance or the CLI would: straight into the database, not through this instance.
        await _app.Database.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO operator_directory (phone, name, active, created_at) VALUES (@p, 'Elsewhere', 1, 0)", new { p = OperatorPhone }, tx), default);

        Assert.Equal("Gather", await FirstVerbAsync(OperatorPhone));
        _app.Clock.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("Redirect", await FirstVerbAsync(OperatorPhone));
    }

    [Fact]
    public async Task AChangeMadeThroughThisInstanceCountsAtOnce()
    {
        Assert.Equal("Gather", await FirstVerbAsync(OperatorPhone));
        await _app.Operators.AddAsync(OperatorPhone, null, default);
        Assert.Equal("Redirect", await FirstVerbAsync(OperatorPhone));
        await _app.Operators.SetActiveAsync(OperatorPhone, false, default);
        Assert.Equal("Gather", await FirstVerbAsync(OperatorPhone));
    }
}
