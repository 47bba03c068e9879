using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Dapper;
using Microsoft.Data.Sqlite;

namespace MiniCC.Tests;

/// <summary><c>kill -9</c> during load: every webhook answered with 2xx before the kill is in the database after a restart.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private async Task<Process> StartAsync(int port)
    {
        var process = Process.Start(_cli.StartInfo("--urls", $"http://127.0.0.1:{port}"))!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var r = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                if (r.IsSuccessStatusCode)
                {
                    return process;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        throw new TimeoutException("minicc did not start");
    }

    [Fact]
    public async Task EveryWebhookAnsweredBeforeAKillDashNineIsInTheDatabaseAfterARestart()
    {
        _cli.Environment["MiniCC__SpoolDirectory"] = Path.Combine(_cli.WorkingDirectory, "spool");
        var port = FreePort();
        var server = await StartAsync(port);
        var answered = new ConcurrentBag<string>();
        var sent = 0;
        using var stop = new CancellationTokenSource();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        async Task Caller(int worker)
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 100_000; i++)
            {
                var sid = "CA" + worker.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + i.ToString("x28", System.Globalization.CultureInfo.InvariantCulture);
                Interlocked.Increment(ref sent);
                using var form = new FormUrlEncodedContent(
                [
                    KeyValuePair.Create("CallSid", sid), KeyValuePair.Create("From", "+819011112222"),
                    KeyValuePair.Create("CallStatus", "completed"), KeyValuePair.Create("CallDuration", "42"),
                ]);
                try
                {
                    using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/voice/status"), form);
                    if (response.IsSuccessStatusCode)
                    {
                        answered.Add(sid);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
                {
                    return; // the server is gone
                }
            }
        }

        var callers = Enumerable.Range(0, 8).Select(w => Task.Run(() => Caller(w))).ToArray();
        while (answered.Count < 300)
        {
            await Task.Delay(20);
        }

        server.Kill(entireProcessTree: true); // SIGKILL: no shutdown, no flush
        await server.WaitForExitAsync();
        await stop.CancelAsync();
        await Task.WhenAll(callers);
        Assert.True(answered.Count >= 300, $"{answered.Count} answered of {sent} sent");

        var restarted = await StartAsync(port);
        try
        {
            await using var db = new SqliteConnection($"Data Source={Path.Combine(_cli.WorkingDirectory, "cli.db")};Pooling=False");
            var stored = (await db.QueryAsync<string>("SELECT call_sid FROM call_events WHERE kind = 'call_end'")).ToHashSet();
            var missing = answered.Where(sid => !stored.Contains(sid)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered webhooks are missing, e.g. {missing.FirstOrDefault()}");
            Assert.Equal(stored.Count, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls WHERE final_status = 'completed'"));
        }
        finally
        {
            restarted.Kill(entireProcessTree: true);
            await restarted.WaitForExitAsync();
        }
    }
}
