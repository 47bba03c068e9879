using System.Diagnostics;
using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Storage;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

public sealed class SqliteGroupCommitTests() : GroupCommitTests("sqlite");

public sealed class MySqlGroupCommitTests() : GroupCommitTests("mysql");

public sealed class PostgresGroupCommitTests() : GroupCommitTests("postgres");

/// <summary>Webhooks that arrive together are committed together, and one event the database refuses spoils none of the rest.</summary>
public abstract class GroupCommitTests(string provider) : ProviderTests(provider)
{
    internal static async Task<string[]> PostStatusCallbacksAsync(MiniCCFactory app, int count, string? including = null)
    {
        var sids = Enumerable.Range(0, count).Select(i => i == count / 2 && including is not null ? including : NewCallSid()).ToArray();
        var answers = await Task.WhenAll(sids.Select(sid => app.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "7")))));
        Assert.All(answers, a => Assert.Equal(HttpStatusCode.NoContent, a.StatusCode));
        return sids;
    }

    [SkippableFact]
    public async Task OneEventTheDatabaseRefusesSpoilsNoneOfTheEventsCommittedWithIt()
    {
        var refused = NewCallSid();
        await App.Database.ReadAsync(c => c.ExecuteAsync(Provider switch
        {
            "sqlite" => $"CREATE TRIGGER refuse BEFORE INSERT ON call_events WHEN NEW.call_sid = '{refused}' BEGIN SELECT RAISE(ABORT, 'refused'); END",
            "mysql" => $"CREATE TRIGGER refuse BEFORE INSERT ON call_events FOR EACH ROW BEGIN IF NEW.call_sid = '{refused}' THEN " +
                "SIGNAL SQLSTATE '22007' SET MESSAGE_TEXT = 'refused', MYSQL_ERRNO = 1292; END IF; END",
            _ => "CREATE FUNCTION refuse() RETURNS trigger AS $$ BEGIN " +
                $"IF NEW.call_sid = '{refused}' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '22007'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql; " +
                "CREATE TRIGGER refuse BEFORE INSERT ON call_events FOR EACH ROW EXECUTE FUNCTION refuse()",
        }), default);

        var sids = await GroupCommitTests.PostStatusCallbacksAsync(App, 60, including: refused);

        var stored = (await App.History.CallsAsync(default)).Select(c => c.CallSid).ToHashSet();
        Assert.Equal(sids.Where(s => s != refused).ToHashSet(), stored);
        // Only the refused event went to the spool; the others were committed when their webhook was answered.
        var spooled = App.Logs.Lines.Where(l => l.Contains("spooling it", StringComparison.Ordinal)).ToList();
        Assert.All(spooled, l => Assert.Contains(refused, l, StringComparison.Ordinal));
        Assert.NotEmpty(spooled);
    }
}

/// <summary>SQLite's write-ahead log is checkpointed beside the writer, never by its commits.</summary>
public sealed class SqliteWriteAheadLogTests() : ProviderTests("sqlite")
{
    [SkippableFact]
    public async Task SqlitesWriteAheadLogIsCheckpointedBesideTheWriterAndReused()
    {
        var wal = App.TestDatabase.SqlitePath + "-wal";
        var restarts = 0L;
        var posted = 0;
        for (var burst = 0; burst < 12 && restarts < 2; burst++)
        {
            posted += (await GroupCommitTests.PostStatusCallbacksAsync(App, 100)).Length;
            await Task.Delay(700);
            restarts = CheckpointSequence(wal);
        }

        // The writer's own commits never checkpoint. Without the checkpointer beside it the log is never reused and
        // grows with every page written (to 4 MB after these 1,200 webhooks); checkpointed, it starts over.
        Assert.True(restarts >= 2, $"the WAL started over {restarts} times");
        Assert.Equal(posted, (await App.History.CallsAsync(default)).Count);
    }

    /// <summary>The WAL header's checkpoint sequence number (bytes 12–15, big-endian): how many times the log started over.</summary>
    private static long CheckpointSequence(string wal)
    {
        using var file = new FileStream(wal, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        var header = new byte[16];
        return file.Read(header) == 16 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(12)) : 0;
    }
}

/// <summary>PostgreSQL alone tells a trigger which transaction it runs in (pg_current_xact_id): it counts the commits.</summary>
public sealed class PostgresGroupCommitTransactionTests() : ProviderTests("postgres")
{
    [SkippableFact]
    public async Task WebhooksArrivingTogetherShareTransactions()
    {
        await App.Database.ReadAsync(c => c.ExecuteAsync(
            "CREATE TABLE tx_seen (xid xid8 PRIMARY KEY); " +
            "CREATE FUNCTION note_tx() RETURNS trigger AS $$ BEGIN " +
            "INSERT INTO tx_seen VALUES (pg_current_xact_id()) ON CONFLICT DO NOTHING; RETURN NEW; END $$ LANGUAGE plpgsql; " +
            "CREATE TRIGGER note_tx AFTER INSERT ON call_events FOR EACH ROW EXECUTE FUNCTION note_tx()"), default);

        await GroupCommitTests.PostStatusCallbacksAsync(App, 200);

        // Read after the spool is drained: a write that outlived the bound is replayed from there (in a transaction of its own).
        Assert.Equal(200, (await App.History.EventsAsync(default)).Count);
        var transactions = await App.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM tx_seen"), default);
        // One transaction per webhook before group commit; arriving together, they now share a handful.
        Assert.True(transactions <= 100, $"{transactions} transactions for 200 webhooks that arrived together");
    }
}

/// <summary>
/// PostgreSQL gives up one of two transactions that wait on each other. When the writer's is the one (here: another
/// connection holds the hour's rollup mark the writer needs, then waits on the call row the writer has just written,
/// as a rollup refresh or another instance's writer could), the writer runs it again at once: the webhook's event is
/// stored before its answer, not spooled for later.
/// </summary>
public sealed class PostgresWriterDeadlockTests() : ProviderTests("postgres")
{
    [SkippableFact]
    public async Task AWriteTheDatabaseGaveUpForADeadlockIsRunAgainAtOnce()
    {
        var sid = NewCallSid();
        var hour = MiniCCFactory.StartMs / 3_600_000;
        await using var other = await App.Database.OpenAsync(default);
        await using var tx = await other.BeginTransactionAsync();
        await other.ExecuteAsync("INSERT INTO rollup_dirty (hour, gen) VALUES (@hour, 1) ON CONFLICT (hour) DO UPDATE SET gen = rollup_dirty.gen + 1",
            new { hour }, tx);

        var webhook = App.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));
        // The writer has written the call and now waits for the hour's mark.
        var waited = Stopwatch.StartNew();
        while (await App.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
                   "SELECT COUNT(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE '%rollup_dirty%'"), default) == 0)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromSeconds(10), "the writer never waited for the mark");
            await Task.Delay(10);
        }

        // Now this connection waits for the writer's call row: a deadlock, which PostgreSQL breaks (after
        // deadlock_timeout, 1 s) by giving up the writer's transaction, which waited first.
        await other.ExecuteAsync("INSERT INTO calls (call_sid, role, started_at) VALUES (@sid, 'customer', 0) ON CONFLICT DO NOTHING", new { sid }, tx);
        await tx.RollbackAsync();

        await webhook;
        // Read at once, not after the spool drained: before the writer ran a given-up transaction again, the event went
        // to the spool and reached the database only later.
        Assert.Equal(0, App.Services.GetRequiredService<Spool>().Backlog);
        Assert.Equal(1L, await App.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM call_events WHERE call_sid = @sid", new { sid }), default));
    }
}
