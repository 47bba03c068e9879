using System.Collections.Concurrent;
using Dapper;
using Microsoft.Data.Sqlite;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

/// <summary><c>kill -9</c> during load: every webhook answered with 2xx before the kill is in the database after a restart.</summary>
public sealed class CrashTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task EveryWebhookAnsweredBeforeAKillDashNineIsInTheDatabaseAfterARestart()
    {
        _cli.Environment["MiniCC__SpoolDirectory"] = Path.Combine(_cli.WorkingDirectory, "spool");
        var port = Minicc.FreePort();
        var server = await _cli.StartServerAsync(port);
        var answered = new ConcurrentBag<string>();
        var sent = 0;
        using var stop = new CancellationTokenSource();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };

        async Task Caller()
        {
            for (var i = 0; !stop.IsCancellationRequested && i < 100_000; i++)
            {
                var sid = NewCallSid();
                Interlocked.Increment(ref sent);
                using var form = new FormUrlEncodedContent(
                [
                    KeyValuePair.Create("CallSid", sid), KeyValuePair.Create("From", Customer),
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

        var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(Caller)).ToArray();
        while (answered.Count < 300)
        {
            await Task.Delay(20);
        }

        await server.KillAsync(); // SIGKILL: no shutdown, no flush
        await stop.CancelAsync();
        await Task.WhenAll(callers);
        Assert.True(answered.Count >= 300, $"{answered.Count} answered of {sent} sent");

        await using var restarted = await _cli.StartServerAsync(port);
        {
            await using var db = new SqliteConnection($"Data Source={_cli.DatabaseFile};Pooling=False");
            var stored = (await db.QueryAsync<string>("SELECT call_sid FROM call_events WHERE kind = 'call_end'")).ToHashSet();
            var missing = answered.Where(sid => !stored.Contains(sid)).ToList();
            Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered webhooks are missing, e.g. {missing.FirstOrDefault()}");
            Assert.Equal(stored.Count, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM calls WHERE final_status = 'completed'"));
        }
    }
}
