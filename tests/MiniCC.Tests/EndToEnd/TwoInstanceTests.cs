using System.Net;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Emulator;
using MiniCC.Storage;

namespace MiniCC.Tests.EndToEnd;

public sealed class MySqlTwoInstanceTests() : TwoInstanceTests("mysql");

public sealed class PostgresTwoInstanceTests() : TwoInstanceTests("postgres");

/// <summary>
/// Two MiniCC server processes on two loopback ports, one database, and a busy hour sent through both,
/// alternating per request as a load balancer would: every event is stored once and the history equals the ground truth.
/// </summary>
public abstract class TwoInstanceTests(string provider)
{
    private const string PublicBase = "http://lb.minicc.test";
    private const string Token = "two-instance-test-token";

    /// <summary>Sends each request to the next instance in turn; the public URL (what Twilio signs) stays the balancer's.</summary>
    private sealed class RoundRobin(int[] ports) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _next;

        public int[] Served { get; } = new int[ports.Length];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var i = _next++ % ports.Length;
            Served[i]++;
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = "http", Host = "127.0.0.1", Port = ports[i] }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }

    [SkippableFact]
    public async Task TwoServersOnOneDatabaseStoreEveryEventOnceAndMatchTheGroundTruth()
    {
        using var db = TestDatabase.Create(provider);
        using var cli = new Minicc();
        cli.Environment["Database__Provider"] = provider;
        cli.Environment["ConnectionStrings__MiniCC"] = db.ConnectionString;
        cli.Environment["Twilio__AuthToken"] = Token;
        cli.Environment["MiniCC__PublicBaseUrl"] = PublicBase;
        var scenario = new Scenario { Duration = TimeSpan.FromHours(1), ArrivalsPerHour = 150, Operators = 4, MeanPatience = TimeSpan.FromSeconds(100) };

        // Both start at once against an empty database: one migrates, the other waits for it.
        int[] ports = [Minicc.FreePort(), Minicc.FreePort()];
        var servers = await Task.WhenAll(ports.Select((p, i) =>
            cli.StartServerAsync(p, psi => psi.Environment["MiniCC__SpoolDirectory"] = Path.Combine(cli.WorkingDirectory, $"spool{i}"))));
        try
        {
            for (var i = 1; i <= scenario.Operators; i++)
            {
                Assert.Equal(0, (await cli.RunAsync("operators", "add", Scenario.OperatorPhone(i))).ExitCode);
            }

            using var balancer = new RoundRobin(ports);
            using var http = new HttpClient(balancer) { BaseAddress = new Uri(PublicBase + "/") };
            var twilio = new TwilioEmulator(http, new EmulatorOptions { AuthToken = Token, Seed = 7 });
            var truth = await Simulation.RunAsync(twilio, scenario);

            Assert.Empty(twilio.ApplicationErrors);
            Assert.All(balancer.Served, n => Assert.True(n > 500, $"each instance served requests: {string.Join(", ", balancer.Served)}"));

            using var services = new ServiceCollection()
                .AddSingleton(new DatabaseSettings(provider, db.ConnectionString)).AddSingleton<Database>()
                .BuildServiceProvider();
            var history = new HistoryReader(services.GetRequiredService<Database>(), null);
            var visits = (await history.QueueVisitsAsync(default)).ToDictionary(v => v.CallSid);
            var queued = twilio.Truth.Where(t => !t.IsOperator && t.Queued).ToList();
            Assert.Equal(truth.Offered, queued.Count);
            Assert.Equal(queued.Count, visits.Count);
            foreach (var t in queued)
            {
                var v = visits[t.CallSid];
                Assert.Equal((t.QueueResult, t.WaitSeconds, t.AnsweredByCallSid), (v.Result, (int?)v.WaitSeconds, v.OperatorCallSid));
            }

            // Every event exactly once: one end per call, one queue exit per queued caller, one pickup per answer.
            var events = await history.EventsAsync(default);
            var everyCall = twilio.Truth.Select(t => t.CallSid).ToHashSet();
            Assert.Equal(everyCall.OrderBy(s => s), events.Where(e => e.Kind == "call_end").Select(e => e.CallSid).OrderBy(s => s));
            Assert.Equal(queued.Select(t => t.CallSid).OrderBy(s => s), events.Where(e => e.Kind == "queue_exit").Select(e => e.CallSid).OrderBy(s => s));
            Assert.Equal(truth.Answered, events.Count(e => e.Kind == "pickup"));
            var r = (await history.CallsAsync(default)).Where(c => c.Role == "customer").ToDictionary(c => c.CallSid);
            foreach (var t in twilio.Truth.Where(t => !t.IsOperator))
            {
                Assert.Equal((t.IvrChoice, t.DurationSeconds), (r[t.CallSid].IvrChoice, (int?)r[t.CallSid].DurationSeconds));
            }
        }
        finally
        {
            foreach (var server in servers)
            {
                await server.DisposeAsync();
            }
        }
    }
}
