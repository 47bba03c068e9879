using System.Net;
using System.Net.Http.Headers;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Operators;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Metrics;

/// <summary><c>/metrics</c> in process: whether it is served, to whom, and what its series say.</summary>
[Collection(MetricsScrapes.Name)]
public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task MetricsAreNotServedUnlessTurnedOn()
    {
        using var app = new MiniCCFactory();
        using var client = app.CreateClient();
        using var response = await client.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("Bearer wrong-token-0123456789abcdef")]
    [InlineData("Basic bWV0cmljczptZXRyaWNz")]
    [InlineData("Bearer metrics-token-0123456789abcde")]
    public async Task WithoutTheRightBearerTokenMetricsAreRefused(string? authorization)
    {
        using var app = new MiniCCFactory(MetricsScrapes.Settings());
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        if (authorization is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.DoesNotContain("minicc_", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("too-short")]
    public async Task TurnedOnWithoutALongTokenMiniCCRefusesToStart(string? token)
    {
        using var cli = new Minicc();
        cli.Environment["MiniCC__Metrics__Enabled"] = "true";
        if (token is not null)
        {
            cli.Environment["MiniCC__Metrics__Token"] = token;
        }

        var result = await cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MiniCC:Metrics:Token must be at least 16 characters", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WebhooksAreCountedByRouteAndStatusAndTheWritersBatchesAddUpToTheHistory()
    {
        using var app = new MiniCCFactory(MetricsScrapes.Settings());
        for (var i = 0; i < 3; i++)
        {
            await app.TwimlAsync("/voice/incoming", Call(NewCallSid(), status: "ringing"));
        }

        using (var forged = await app.SignedClient("not-the-auth-token").PostAsync(new Uri("/voice/incoming", UriKind.Relative),
            new FormUrlEncodedContent([KeyValuePair.Create("CallSid", NewCallSid())])))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
        }

        var samples = await ScrapeAsync(app);
        double Requests(string status) => samples.Where(s => s.Name == "http_server_request_duration_seconds_count"
            && s.Has(("http_route", "/voice/incoming"), ("http_response_status_code", status))).Sum(s => s.Value);
        Assert.Equal(3, Requests("200"));
        Assert.Equal(1, Requests("403"));
        Assert.Contains(samples, s => s.Name == "http_server_request_duration_seconds_bucket" && s.Has(("http_route", "/voice/incoming"), ("le", "+Inf")));

        var events = await app.Database.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM call_events"), default);
        Assert.True(events >= 3, $"{events} events");
        Assert.Equal(events, One(samples, "minicc_history_batch_size_sum").Value);
        var batches = One(samples, "minicc_history_batch_size_count").Value;
        Assert.InRange(batches, 1, events);
        Assert.Equal(batches, One(samples, "minicc_history_commit_duration_seconds_count", ("outcome", "committed")).Value);
        Assert.Equal(0, One(samples, "minicc_spool_backlog").Value);
        Assert.DoesNotContain(samples, s => s.Name == "minicc_database_errors_total");
    }

    [Fact]
    public async Task WhileTheDatabaseIsAwayItsErrorsAreCountedAndTheSpoolBacklogShowsUntilItReturns()
    {
        using var db = TestDatabase.Create("sqlite");
        var spool = Directory.CreateTempSubdirectory("minicc-metrics-spool-").FullName;
        try
        {
            var settings = MetricsScrapes.Settings();
            // A short busy timeout: the locked database fails fast, as one that went away would.
            settings["ConnectionStrings:MiniCC"] = db.ConnectionString + ";Default Timeout=1";
            settings["MiniCC:SpoolDirectory"] = spool;
            using var app = new MiniCCFactory(settings);
            await app.TwimlAsync("/voice/incoming", Call(NewCallSid(), status: "ringing"));
            await app.History.DrainAsync();
            Assert.DoesNotContain(await ScrapeAsync(app), s => s.Name == "minicc_database_errors_total");

            using (Storage.DatabaseLock.HoldSqlite(db.ConnectionString))
            {
                // Answered once its event is stored: here, in the spool.
                await app.TwimlAsync("/voice/incoming", Call(NewCallSid(), status: "ringing"));
                var away = await ScrapeAsync(app);
                Assert.True(One(away, "minicc_database_errors_total", ("operation", "history-write"), ("kind", "unavailable")).Value >= 1);
                Assert.True(One(away, "minicc_spool_backlog").Value >= 1);
            }

            // Back: the replayer empties the spool, and the gauge says so.
            await app.History.DrainAsync();
            Assert.Equal(0, app.Spool.Backlog);
            Assert.Equal(0, One(await ScrapeAsync(app), "minicc_spool_backlog").Value);
        }
        finally
        {
            Directory.Delete(spool, recursive: true);
        }
    }

    [Fact]
    public async Task CallersWaitingAndOperatorsByStateAreCountedPerQueue()
    {
        using var app = new MiniCCFactory(MetricsScrapes.Settings());
        var operatorCall = await app.OperatorCallsInAsync();
        var sato = await app.Operators.FindAsync(OperatorPhone, default);
        await app.Services.GetRequiredService<OperatorSkills>().SetAsync(sato!.Id, [new Skill("sales", 5)], default);
        await app.TwimlAsync("/voice/operator", Call(operatorCall, from: OperatorPhone));
        for (var i = 0; i < 2; i++)
        {
            var sid = NewCallSid();
            await app.TwimlAsync("/voice/wait?queue=support", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        }

        var samples = await ScrapeAsync(app);
        Assert.Equal(2, One(samples, "minicc_queue_callers_waiting", ("queue", "support")).Value);
        Assert.Equal(0, One(samples, "minicc_queue_callers_waiting", ("queue", "sales")).Value);
        Assert.Equal(1, One(samples, "minicc_operators", ("queue", "sales"), ("state", "ready")).Value);
        Assert.Equal(0, One(samples, "minicc_operators", ("queue", "support"), ("state", "ready")).Value);
        Assert.Equal(0, One(samples, "minicc_operators", ("queue", "sales"), ("state", "break")).Value);
    }

    /// <summary>Scrapes /metrics with the token, as Prometheus does.</summary>
    internal static async Task<IReadOnlyList<Sample>> ScrapeAsync(MiniCCFactory app)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", MetricsScrapes.Token);
        using var response = await client.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return Sample.Parse(text);
    }

    private static Sample One(IReadOnlyList<Sample> samples, string name, params (string, string)[] labels)
    {
        var found = samples.Where(s => s.Name == name && s.Has(labels)).ToList();
        Assert.True(found.Count == 1, $"{found.Count} samples of {name} {string.Join(',', labels)}: {string.Join(" | ", samples.Where(s => s.Name == name))}");
        return found[0];
    }
}
