using System.Collections.Concurrent;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using MiniCC.Storage;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Cli;

/// <summary>
/// <c>minicc backup</c> and <c>minicc restore</c>: the copy taken beside a real server process taking webhooks, and the
/// restore it refuses while that process runs (the lock is the operating system's, between processes).
/// </summary>
public sealed class BackupCommandTests : IDisposable
{
    private readonly Minicc _cli = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _cli.Dispose();
    }

    private string InWorkingDirectory(string name) => Path.Combine(_cli.WorkingDirectory, name);

    [Fact]
    public async Task ABackupTakenUnderLoadHoldsEveryCallAnsweredBeforeItPassesTheIntegrityCheckAndOpensInMiniCC()
    {
        var port = Minicc.FreePort();
        await using var server = await _cli.StartServerAsync(port);
        var answered = new ConcurrentQueue<string>();
        using var stop = new CancellationTokenSource();
        async Task Caller()
        {
            while (!stop.IsCancellationRequested)
            {
                var sid = NewCallSid();
                await AbandonedCallAsync(port, sid);
                answered.Enqueue(sid);
            }
        }

        var callers = Enumerable.Range(0, 4).Select(_ => Task.Run(Caller)).ToArray();
        while (answered.Count < 150)
        {
            await Task.Delay(20);
        }

        var before = answered.ToArray();
        var backup = await _cli.RunProcessAsync("backup", InWorkingDirectory("under-load.db"));
        var duringBackup = answered.Count - before.Length;
        await stop.CancelAsync();
        await Task.WhenAll(callers);

        Assert.True(backup.ExitCode == 0, backup.Err);
        Assert.True(duringBackup > 0, "the server took no call while the backup ran: it was not under load");
        Assert.True(System.Text.RegularExpressions.Regex.IsMatch(backup.Out,
            @"^Backed up SQLite file .*cli\.db \(schema version \d+\) to .*under-load\.db: [\d.]+ [KM]iB, \d+ calls, \d+ queue visits\."), backup.Out);
        await using (var copy = new SqliteConnection($"Data Source={InWorkingDirectory("under-load.db")};Mode=ReadOnly;Pooling=False"))
        {
            Assert.Equal("ok", await copy.ExecuteScalarAsync<string>("PRAGMA integrity_check"));
            Assert.Equal("delete", await copy.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
            var calls = (await copy.QueryAsync<string>("SELECT call_sid FROM calls WHERE final_status = 'completed'")).ToHashSet();
            var visits = (await copy.QueryAsync<string>("SELECT call_sid FROM queue_visits WHERE result = 'hangup'")).ToHashSet();
            var missing = before.Where(sid => !calls.Contains(sid) || !visits.Contains(sid)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {before.Length} calls answered before the backup are not in it, e.g. {missing.FirstOrDefault()}");
            var (allCalls, allVisits) = (await copy.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"), await copy.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM queue_visits"));
            Assert.Contains($"{allCalls} calls, {allVisits} queue visits.", backup.Out, StringComparison.Ordinal);
            // One snapshot: each call's end was committed after its visit's, so no call in the copy ended without its visit.
            Assert.Equal(0, await copy.ExecuteScalarAsync<long>(
                "SELECT COUNT(*) FROM calls c WHERE c.final_status = 'completed' AND NOT EXISTS (SELECT 1 FROM queue_visits v WHERE v.call_sid = c.call_sid AND v.result = 'hangup')"));
        }

        Assert.False(File.Exists(InWorkingDirectory("under-load.db-wal")));
        Assert.Empty(Directory.GetFiles(_cli.WorkingDirectory, "*.partial*"));
        _cli.Environment["ConnectionStrings__MiniCC"] = $"Data Source={InWorkingDirectory("under-load.db")}";
        var report = await _cli.RunAsync("report", "--format", "json");
        Assert.True(report.ExitCode == 0, report.Err);
        Assert.True(Offered(report.Out) >= before.Length, report.Out);
    }

    [Fact]
    public async Task RestoreIsRefusedWhileTheServerRunsAndAfterItStopsGivesBackTheHistoryOfTheBackup()
    {
        var port = Minicc.FreePort();
        var server = await _cli.StartServerAsync(port);
        Minicc.Result atBackup;
        try
        {
            for (var i = 0; i < 6; i++)
            {
                await AbandonedCallAsync(port, NewCallSid());
            }

            atBackup = await _cli.RunAsync("report", "--format", "json");
            Assert.Equal(6, Offered(atBackup.Out));
            Assert.Equal(0, (await _cli.RunProcessAsync("backup", InWorkingDirectory("six.db"))).ExitCode);
            for (var i = 0; i < 4; i++)
            {
                await AbandonedCallAsync(port, NewCallSid());
            }

            var refused = await _cli.RunProcessAsync("restore", InWorkingDirectory("six.db"));
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains($"a MiniCC server is running on {_cli.DatabaseFile}", refused.Err, StringComparison.Ordinal);
            Assert.Equal(10, Offered((await _cli.RunAsync("report", "--format", "json")).Out));
            Assert.False(File.Exists(_cli.DatabaseFile + ".before-restore"));
        }
        finally
        {
            // As kill -9 stops it: the kernel, not the server, gives the lock back.
            await server.DisposeAsync();
        }

        var restore = await _cli.RunProcessAsync("restore", InWorkingDirectory("six.db"));
        Assert.True(restore.ExitCode == 0, restore.Err);
        Assert.Contains("6 calls, 6 queue visits.", restore.Out, StringComparison.Ordinal);
        Assert.Contains($"kept as {_cli.DatabaseFile}.before-restore", restore.Out, StringComparison.Ordinal);
        Assert.Equal(atBackup.Out, (await _cli.RunAsync("report", "--format", "json")).Out);
        await using var kept = new SqliteConnection($"Data Source={_cli.DatabaseFile}.before-restore;Pooling=False");
        Assert.Equal(10, await kept.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls"));
    }

    [Fact]
    public async Task AServerDoesNotStartWhileARestoreHoldsItsDatabase()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        using var restoring = ServerLock.TryTake(_cli.DatabaseFile + ".lock", exclusive: true);
        Assert.NotNull(restoring);
        var serve = await _cli.ServeAsync();
        Assert.Equal(1, serve.ExitCode);
        Assert.Contains("A restore (minicc restore) is replacing", serve.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ABackupReplacesAnExistingFileOnlyWithForce()
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678")).ExitCode);
        await File.WriteAllTextAsync(InWorkingDirectory("taken.db"), "keep me");
        var refused = await _cli.RunAsync("backup", InWorkingDirectory("taken.db"));
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("exists; choose a new file, or add --force", refused.Err, StringComparison.Ordinal);
        Assert.Equal("keep me", await File.ReadAllTextAsync(InWorkingDirectory("taken.db")));

        Assert.Equal(0, (await _cli.RunAsync("backup", InWorkingDirectory("taken.db"), "--force")).ExitCode);
        await using var copy = new SqliteConnection($"Data Source={InWorkingDirectory("taken.db")};Pooling=False");
        Assert.Equal("+819012345678", await copy.ExecuteScalarAsync<string>("SELECT phone FROM operator_directory"));
    }

    [Fact]
    public async Task RestoreRefusesWhatIsNoMiniCCDatabaseOrComesFromANewerMiniCCAndLeavesTheDatabaseAlone()
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("backup", InWorkingDirectory("newer.db"))).ExitCode);
        await using (var newer = new SqliteConnection($"Data Source={InWorkingDirectory("newer.db")};Pooling=False"))
        {
            await newer.ExecuteAsync("INSERT INTO schema_version (version, name, applied_at) VALUES (999, '0999_future', 0)");
        }

        await File.WriteAllTextAsync(InWorkingDirectory("notes.txt"), "not a database at all, but long enough to look like a header of one.");
        await using (var other = new SqliteConnection($"Data Source={InWorkingDirectory("other.db")};Pooling=False"))
        {
            await other.ExecuteAsync("CREATE TABLE t (x INTEGER)");
        }

        var said = new Dictionary<string, string>
        {
            ["newer.db"] = "has schema version 999, made by a newer MiniCC",
            ["notes.txt"] = "is not a readable SQLite database",
            ["other.db"] = "is not a MiniCC database",
            ["absent.db"] = "there is no backup at",
        };
        foreach (var (file, why) in said)
        {
            var refused = await _cli.RunAsync("restore", InWorkingDirectory(file));
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains(why, refused.Err, StringComparison.Ordinal);
        }

        Assert.Contains("+819012345678", (await _cli.RunAsync("operators", "list")).Out, StringComparison.Ordinal);
        Assert.False(File.Exists(_cli.DatabaseFile + ".before-restore"));
        Assert.Empty(Directory.GetFiles(_cli.WorkingDirectory, "*.restoring*"));
    }

    [Theory]
    [InlineData("mysql", "Server=db.example;Database=minicc;User ID=cc", "mariadb-dump --single-transaction", "mariadb --host=db.example")]
    [InlineData("postgres", "Host=db.example;Database=minicc;Username=cc", "pg_dump -Fc --host=db.example", "pg_restore --clean --if-exists")]
    public async Task AServerDatabaseIsSentToItsOwnDumpTool(string provider, string connectionString, string dump, string load)
    {
        _cli.Environment["Database__Provider"] = provider;
        _cli.Environment["ConnectionStrings__MiniCC"] = connectionString;
        foreach (var verb in new[] { "backup", "restore" })
        {
            var refused = await _cli.RunAsync(verb, InWorkingDirectory("x.db"));
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains(dump, refused.Err, StringComparison.Ordinal);
            Assert.Contains(load, refused.Err, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(InWorkingDirectory("x.db")));
    }

    /// <summary>A caller who waited in the queue and hung up: a queue visit and a completed call, each webhook answered.</summary>
    private async Task AbandonedCallAsync(int port, string sid)
    {
        (string, string)[][] webhooks =
        [
            [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")],
            [("QueueResult", "hangup"), ("QueueSid", QueueSid), ("QueueTime", "3")],
            [("CallDuration", "9")],
        ];
        string[] routes = ["/voice/wait", "/voice/queue-exit", "/voice/status"];
        for (var i = 0; i < routes.Length; i++)
        {
            using var form = new FormUrlEncodedContent(Call(sid, status: i == 0 ? "in-progress" : "completed", extra: webhooks[i])
                .Select(p => KeyValuePair.Create(p.Item1, p.Item2)));
            using var response = await _http.PostAsync(new Uri($"http://127.0.0.1:{port}{routes[i]}"), form);
            response.EnsureSuccessStatusCode();
        }
    }

    private static long Offered(string reportJson) =>
        JsonDocument.Parse(reportJson).RootElement.GetProperty("offered").GetInt64();
}
