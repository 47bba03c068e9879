using System.Data.Common;
using Dapper;
using MiniCC.Reports;

namespace MiniCC.Tests.Reports;

public sealed class MySqlHistoryChangesTests() : HistoryChangesTests("mysql");

public sealed class PostgresHistoryChangesTests() : HistoryChangesTests("postgres");

/// <summary>
/// The feed's look at the history when two writers commit out of the order of their ids (SQLite has one writer at a
/// time, so this happens on servers only): the newest id alone would not change, and the commit would go unseen.
/// </summary>
public abstract class HistoryChangesTests(string provider) : ProviderTests(provider)
{
    private HistoryChanges Changes() => new(App.Database, App.Clock);

    private static Task InsertEventAsync(DbConnection c, DbTransaction? tx, string callSid) =>
        c.ExecuteAsync("INSERT INTO call_events (call_sid, kind, dedupe_key, occurred_at, params) VALUES (@callSid, 'incoming', '1', 1, '{}')",
            new { callSid }, tx);

    /// <summary>Begins a write transaction that has inserted an event (its id taken), not yet committed.</summary>
    private async Task<(DbConnection Connection, DbTransaction Transaction)> InFlightAsync(string callSid)
    {
        var c = await App.Database.OpenAsync(default);
        var tx = await c.BeginTransactionAsync();
        await InsertEventAsync(c, tx, callSid);
        return (c, tx);
    }

    private async Task CommitNowAsync(string callSid)
    {
        await using var c = await App.Database.OpenAsync(default);
        await InsertEventAsync(c, null, callSid);
    }

    private Task<long> NewestIdAsync() =>
        App.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(HistoryChanges.NewestSql), default);

    [SkippableFact]
    public async Task AnEventCommittedAfterANewerOneIsStillAChange()
    {
        var changes = Changes();
        Assert.True(await changes.ChangedAsync(default));
        Assert.False(await changes.ChangedAsync(default));

        var (slow, slowTx) = await InFlightAsync("CA" + new string('1', 32));
        await using (slow)
        {
            await CommitNowAsync("CA" + new string('2', 32));
            var newest = await NewestIdAsync();
            Assert.True(await changes.ChangedAsync(default));
            Assert.False(await changes.ChangedAsync(default));

            await slowTx.CommitAsync();
            // The newest id is the same as before the commit: only the count above the floor tells.
            Assert.Equal(newest, await NewestIdAsync());
            Assert.True(await changes.ChangedAsync(default));
            Assert.False(await changes.ChangedAsync(default));
        }
    }

    [SkippableFact]
    public async Task WhenTheFloorMovesUpAWriteThatTookItsIdBeforeIsStillSeen()
    {
        var changes = Changes();
        Assert.True(await changes.ChangedAsync(default));
        await CommitNowAsync("CA" + new string('3', 32));
        App.Clock.Advance(HistoryChanges.SettleTime);
        // A new epoch begins: the newest id now is the floor of the next one.
        Assert.True(await changes.ChangedAsync(default));
        var (slow, slowTx) = await InFlightAsync("CA" + new string('4', 32));
        await using (slow)
        {
            await CommitNowAsync("CA" + new string('5', 32));
            Assert.True(await changes.ChangedAsync(default));
            App.Clock.Advance(HistoryChanges.SettleTime);
            // The floor moves up (below the late write's id): the first count above it is read as a change.
            Assert.True(await changes.ChangedAsync(default));
            Assert.False(await changes.ChangedAsync(default));
            await slowTx.CommitAsync();
            Assert.True(await changes.ChangedAsync(default));
            Assert.False(await changes.ChangedAsync(default));
        }

        // Nothing written: the floor moves once more, to the newest id, and stays.
        App.Clock.Advance(HistoryChanges.SettleTime);
        Assert.True(await changes.ChangedAsync(default));
        for (var epoch = 0; epoch < 2; epoch++)
        {
            App.Clock.Advance(HistoryChanges.SettleTime);
            Assert.False(await changes.ChangedAsync(default));
            Assert.False(await changes.ChangedAsync(default));
        }
    }
}
