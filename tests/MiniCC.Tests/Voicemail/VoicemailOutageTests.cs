using static MiniCC.Tests.Voicemail.Voicemails;

namespace MiniCC.Tests.Voicemail;

/// <summary>While the database is away the caller still leaves a message, and it is stored when the database returns.</summary>
public sealed class VoicemailOutageTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.Create("sqlite");

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AVoicemailLeftWhileTheDatabaseIsAwayWaitsInTheSpoolAndIsStoredWhenItReturns()
    {
        using var app = new MiniCCFactory(new() { ["ConnectionStrings:MiniCC"] = _db.ConnectionString + ";Default Timeout=1" });
        // Started (and migrated) before the database goes away.
        Assert.Equal("ok", (await app.HealthAsync()).GetProperty("status").GetString());
        string call;
        using (Storage.DatabaseLock.HoldSqlite(_db.ConnectionString))
        {
            call = await app.LeaveAsync(reason: "no-operator", seconds: 21);
            Assert.Equal(3, app.Spool.Backlog);
        }

        await app.History.DrainAsync();
        Assert.Equal(0, app.Spool.Backlog);
        var v = await app.VoicemailStore().FindAsync(call, default);
        Assert.Equal(("no-operator", 21L, "completed", MiniCCFactory.StartMs), (v!.Reason, v.DurationSeconds, v.Status, v.RecordedAt));
    }
}
