using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

/// <summary>
/// The spool on a real, tiny filesystem (a 64 KiB tmpfs, mounted for the test; needs root, as CI runs):
/// a full spool disk loses only what neither place could take, never blocks replay, and never drops a caller.
/// </summary>
public sealed class FullSpoolDiskTests : IDisposable
{
    private readonly TestDatabase _db = TestDatabase.Create("sqlite");
    private readonly string _spool = Path.Combine(Path.GetTempPath(), "minicc-small-spool-" + Guid.NewGuid().ToString("N"));
    private bool _mounted;

    public void Dispose()
    {
        if (_mounted)
        {
            Run("umount", "-l", _spool);
        }

        _db.Dispose();
        try
        {
            Directory.Delete(_spool, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void MountTinySpool()
    {
        Directory.CreateDirectory(_spool);
        var (code, error) = Run("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", _spool);
        Skip.If(code != 0, $"cannot mount a 64 KiB tmpfs for the spool ({error.Trim()}); CI runs as root and runs this test");
        _mounted = true;
    }

    private static (int Code, string Error) Run(string file, params string[] args)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var error = p.StandardError.ReadToEnd();
            p.WaitForExit(30_000);
            return (p.ExitCode, error);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }

    private MiniCCFactory App(string replaySeconds) => new(new()
    {
        ["ConnectionStrings:MiniCC"] = _db.ConnectionString + ";Default Timeout=1",
        ["MiniCC:SpoolDirectory"] = _spool,
        ["MiniCC:SpoolReplaySeconds"] = replaySeconds,
        ["MiniCC:WriteTimeoutSeconds"] = "0.5",
    });

    /// <summary>Status callbacks of <paramref name="sids"/>, 16 at a time; each must be answered, and quickly.</summary>
    private static async Task SendAsync(MiniCCFactory app, IReadOnlyList<string> sids)
    {
        using var gate = new SemaphoreSlim(16);
        var answeredIn = await Task.WhenAll(sids.Select(async sid =>
        {
            await gate.WaitAsync();
            try
            {
                var clock = Stopwatch.StartNew();
                using var r = await app.PostAsync("/voice/status", Call(sid, status: "completed", extra: ("CallDuration", "42")));
                Assert.Equal(HttpStatusCode.NoContent, r.StatusCode);
                return clock.Elapsed;
            }
            finally
            {
                gate.Release();
            }
        }));
        AnswerTime.AssertQuick(answeredIn);
    }

    [SkippableFact]
    public async Task WithTheDatabaseAwayAFullSpoolLosesOnlyWhatNeitherCouldTakeAndReplayRecoversTheRest()
    {
        MountTinySpool();
        using var app = App("0.2");
        _ = app.Server;
        var sids = Enumerable.Range(0, 600).Select(_ => NewCallSid()).ToList();
        using (DatabaseLock.HoldSqlite(_db.ConnectionString))
        {
            await SendAsync(app, sids);
            var during = await app.HealthAsync();
            Assert.Equal("degraded", during.GetProperty("status").GetString());
            Assert.False(during.GetProperty("spool").GetProperty("writable").GetBoolean());
            Assert.Contains(during.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("spool cannot be written", StringComparison.Ordinal));
        }

        // The database is back: replay frees the spool's disk as it goes, needing none. (A write that outlived its bound
        // while the lock was held may commit now; it is then no longer counted lost.)
        var recorder = app.Services.GetRequiredService<MiniCC.Storage.Recorder>();
        HashSet<string> stored = [];
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline; await Task.Delay(100))
        {
            stored = (await app.History.EventsAsync(default)).Select(e => e.CallSid).ToHashSet();
            if (stored.Count + recorder.Lost == sids.Count)
            {
                break;
            }
        }

        Assert.Equal(0, app.Spool.Backlog);
        var lost = recorder.Lost;
        Assert.True(lost > 0 && stored.Count > 0, $"stored {stored.Count}, lost {lost}: the tiny disk should hold some and not all");
        Assert.Equal(sids.Count, stored.Count + lost);
        Assert.Equal(lost,
            app.Logs.Lines.Count(l => l.StartsWith("Critical", StringComparison.Ordinal) && l.Contains("nor the spool", StringComparison.Ordinal)) -
            app.Logs.Lines.Count(l => l.Contains("stored in the database after all", StringComparison.Ordinal)));

        // And the spool takes events again.
        var after = Enumerable.Range(0, 50).Select(_ => NewCallSid()).ToList();
        await SendAsync(app, after);
        Assert.Superset(after.ToHashSet(), (await app.History.EventsAsync(default)).Select(e => e.CallSid).ToHashSet());
        // Applied segments are deleted; at most the (empty) segment new events would go to is left.
        Assert.Equal(0, Directory.GetFiles(_spool, "events-*").Sum(f => new FileInfo(f).Length));
    }

    [SkippableFact]
    public async Task WhenTheSpoolCannotBeWrittenEventsGoStraightToTheDatabase()
    {
        MountTinySpool();
        // A long replay period: after one failed write, webhooks keep away from the database for a while and spool.
        using var app = App("30");
        _ = app.Server;
        using (DatabaseLock.HoldSqlite(_db.ConnectionString))
        {
            await SendAsync(app, [NewCallSid()]);
        }

        Assert.Equal(1, app.Spool.Backlog);
        FillTheDisk();

        var sids = Enumerable.Range(0, 40).Select(_ => NewCallSid()).ToList();
        await SendAsync(app, sids);

        // The spool's last page may still take a few lines; everything else went straight to the database.
        var stored = (await new HistoryReader(app.Database, null).EventsAsync(default)).Select(e => e.CallSid).ToHashSet();
        var spooled = app.Spool.Backlog - 1;
        Assert.Equal(sids.Count, sids.Count(stored.Contains) + spooled);
        Assert.True(spooled < sids.Count / 2, $"{spooled} of {sids.Count} still fitted in the spool");
        Assert.Equal(sids.Count - spooled, app.Logs.Lines.Count(l => l.Contains("stored straight in the database", StringComparison.Ordinal)));
        var health = await app.HealthAsync();
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Equal(0, health.GetProperty("lost").GetInt64());
    }

    private void FillTheDisk()
    {
        using var filler = new FileStream(Path.Combine(_spool, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 0);
        var block = new byte[256];
        try
        {
            for (var i = 0; i < 1024; i++)
            {
                filler.Write(block);
            }
        }
        catch (IOException)
        {
            // Full.
        }
    }
}
