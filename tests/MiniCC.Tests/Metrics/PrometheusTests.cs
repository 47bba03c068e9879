using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Metrics;

/// <summary>
/// A real Prometheus (Debian's) scrapes MiniCC on loopback with the bearer token, and its HTTP API answers what happened.
/// Skips, with the reason, where Prometheus is not installed (CI installs it and fails if this test skips).
/// </summary>
[Collection(MetricsScrapes.Name)]
public sealed class PrometheusTests
{
    public const string PrometheusPath = "/usr/bin/prometheus";

    [SkippableFact]
    public async Task PrometheusScrapesTheWebhookCountsAndTheCallersWaiting()
    {
        Skip.IfNot(File.Exists(PrometheusPath), $"{PrometheusPath} is not installed (apt-get install prometheus): nothing to scrape MiniCC with.");
        using var app = new MiniCCFactory(MetricsScrapes.Settings());
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var target = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Authority;

        const int Webhooks = 4;
        for (var i = 0; i < Webhooks; i++)
        {
            await app.TwimlAsync("/voice/incoming", Call(NewCallSid(), status: "ringing"));
        }

        for (var i = 0; i < 2; i++)
        {
            await app.TwimlAsync("/voice/wait?queue=sales", Call(NewCallSid(), extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        }

        await using var prometheus = await Prometheus.StartAsync(target, MetricsScrapes.Token);
        Assert.Equal(1, await prometheus.ValueAsync("up{job=\"minicc\"}"));
        Assert.Equal(Webhooks, await prometheus.ValueAsync(
            "sum(http_server_request_duration_seconds_count{job=\"minicc\",http_route=\"/voice/incoming\",http_response_status_code=\"200\"})"));
        Assert.Equal(2, await prometheus.ValueAsync("minicc_queue_callers_waiting{job=\"minicc\",queue=\"sales\"}"));
        Assert.Equal(0, await prometheus.ValueAsync("minicc_queue_callers_waiting{job=\"minicc\",queue=\"support\"}"));
        Assert.Equal(0, await prometheus.ValueAsync("minicc_spool_backlog{job=\"minicc\"}"));
    }

    /// <summary>A Prometheus of its own: a generated config scraping every 200 ms, its own storage, on a free loopback port.</summary>
    private sealed class Prometheus : IAsyncDisposable
    {
        private static readonly TimeSpan Within = TimeSpan.FromSeconds(30);
        private readonly Process _process;
        private readonly string _directory;
        private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };
        private readonly Uri _api;

        private Prometheus(Process process, string directory, int port) =>
            (_process, _directory, _api) = (process, directory, new Uri($"http://127.0.0.1:{port}/api/v1/query"));

        public static async Task<Prometheus> StartAsync(string target, string token)
        {
            var directory = Directory.CreateTempSubdirectory("minicc-prometheus-").FullName;
            var tokenFile = Path.Combine(directory, "token");
            await File.WriteAllTextAsync(tokenFile, token);
            var config = Path.Combine(directory, "prometheus.yml");
            await File.WriteAllTextAsync(config, $"""
                global:
                  scrape_interval: 200ms
                  scrape_timeout: 200ms
                scrape_configs:
                  - job_name: minicc
                    metrics_path: /metrics
                    authorization:
                      credentials_file: {tokenFile}
                    static_configs:
                      - targets: ["{target}"]
                """);
            var port = Minicc.FreePort();
            var psi = new ProcessStartInfo(PrometheusPath)
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                ArgumentList =
                {
                    "--config.file=" + config, "--storage.tsdb.path=" + Path.Combine(directory, "data"),
                    $"--web.listen-address=127.0.0.1:{port}",
                },
            };
            var process = Process.Start(psi)!;
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return new Prometheus(process, directory, port);
        }

        /// <summary>The query's one value, once Prometheus has it (it scrapes every 200 ms); fails after <see cref="Within"/>.</summary>
        public async Task<double> ValueAsync(string query)
        {
            var deadline = Stopwatch.StartNew();
            var last = "";
            while (deadline.Elapsed < Within)
            {
                Assert.False(_process.HasExited, "prometheus exited");
                try
                {
                    last = await _http.GetStringAsync(new Uri(_api + "?query=" + Uri.EscapeDataString(query)));
                    using var json = JsonDocument.Parse(last);
                    var result = json.RootElement.GetProperty("data").GetProperty("result");
                    if (result.GetArrayLength() == 1)
                    {
                        return double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
                    }
                }
                catch (HttpRequestException)
                {
                    // Still starting.
                }

                await Task.Delay(200);
            }

            Assert.Fail($"Prometheus had no one value for {query} within {Within.TotalSeconds} s: {last}");
            return double.NaN;
        }

        public async ValueTask DisposeAsync()
        {
            _http.Dispose();
            if (!_process.HasExited)
            {
                _process.Kill();
            }

            await _process.WaitForExitAsync();
            _process.Dispose();
            Directory.Delete(_directory, recursive: true);
        }
    }
}
