using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Deploy;

/// <summary>
/// A service manager stops MiniCC with SIGTERM (systemd's stop, a restart, <c>docker stop</c>). Under load, the server
/// stops taking new requests, finishes those it has, stores what they recorded and exits with 0: every webhook Twilio
/// got an answer to is in the history (or in the spool, which the next start replays).
/// </summary>
public sealed class GracefulShutdownTests(ITestOutputHelper output)
{
    private const string Token = "graceful-shutdown-test-token";

    [SkippableFact]
    public async Task SigtermUnderLoadExitsCleanlyAndEveryAnsweredWebhookIsStored()
    {
        Skip.IfNot(File.Exists("/bin/kill"), "SIGTERM is sent with /bin/kill (procps).");
        using var cli = new Minicc();
        cli.Environment["Twilio__AuthToken"] = Token;
        var port = Minicc.FreePort();
        var server = await cli.StartServerAsync(port);
        await using var running = server;
        using var http = new HttpClient(new SigningHandler(Token) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{port}"),
            Timeout = TimeSpan.FromSeconds(60),
        };

        // Eight callers' webhooks at once, as fast as the server answers, until it is gone (bounded in count and time).
        var answered = new ConcurrentBag<string>();
        var sent = 0;
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        async Task CallerAsync()
        {
            while (!bound.IsCancellationRequested && Interlocked.Increment(ref sent) <= 20_000)
            {
                var sid = NewCallSid();
                try
                {
                    using var response = await http.PostAsync(new Uri("/voice/incoming", UriKind.Relative), new FormUrlEncodedContent(
                        Call(sid, from: "+8190" + sid[^8..]).Select(p => KeyValuePair.Create(p.Item1, p.Item2))), bound.Token);
                    if (response.IsSuccessStatusCode && (await response.Content.ReadAsStringAsync(bound.Token)).Contains("<Response>", StringComparison.Ordinal))
                    {
                        answered.Add(sid);
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    if (server.Process.HasExited)
                    {
                        return;
                    }
                }
            }
        }

        var callers = Enumerable.Range(0, 8).Select(_ => Task.Run(CallerAsync)).ToArray();
        while (answered.Count < 300 && !bound.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        // Stopped in the middle of the load, as systemd stops a service.
        var atSignal = answered.Count;
        await Ops.SigtermAsync(server.Process.Id);
        using var exit = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await server.Process.WaitForExitAsync(exit.Token);
        await Task.WhenAll(callers);
        Assert.True(server.Process.ExitCode == 0, $"exit code {server.Process.ExitCode}: {server.Output}");
        Assert.True(answered.Count >= atSignal, $"{answered.Count} answered");
        Assert.Contains("Application is shutting down", server.Output, StringComparison.Ordinal);

        // The next start replays anything left in the spool; then every answered webhook's call is in the history.
        await using (await cli.StartServerAsync(Minicc.FreePort()))
        {
            var missing = answered.ToHashSet();
            for (var i = 0; i < 300 && missing.Count > 0; i++)
            {
                missing.ExceptWith(await StoredAsync(cli.DatabaseFile));
                if (missing.Count > 0)
                {
                    await Task.Delay(100);
                }
            }

            Assert.True(missing.Count == 0, $"{missing.Count} of {answered.Count} answered webhooks are not stored, e.g. {missing.FirstOrDefault()}");
            output.WriteLine($"{sent} sent, {atSignal} answered before SIGTERM, {answered.Count} in all; all stored");
        }
    }

    private static async Task<HashSet<string>> StoredAsync(string file)
    {
        await using var c = new SqliteConnection($"Data Source={file};Mode=ReadOnly");
        await c.OpenAsync();
        await using var command = c.CreateCommand();
        command.CommandText = "SELECT call_sid FROM calls";
        var sids = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            sids.Add(reader.GetString(0).Trim());
        }

        return sids;
    }
}
