using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Reports;
using Npgsql;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Reports;

/// <summary>
/// The database goes away under a subscribed feed and comes back: the stream stays open and shows the next change.
/// PostgreSQL can refuse one database's connections (and end the open ones) while the server keeps serving every
/// other test's database, so this runs beside them; stopping the whole MariaDB server (OutageTests) would not.
/// </summary>
public sealed class PostgresWallboardFeedOutageTests
{
    [SkippableFact]
    public async Task ADatabaseThatRefusesConnectionsForAWhileDoesNotEndTheStream()
    {
        using var app = new MiniCCFactory("postgres", time: TimeProvider.System);
        var feed = app.Services.GetRequiredService<WallboardFeed>();
        feed.RefreshPeriod = TimeSpan.FromHours(1);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await using var watch = feed.WatchAsync(stop.Token).GetAsyncEnumerator(stop.Token);
        await WallboardFeedTests.NextAsync(watch, _ => true, TimeSpan.FromSeconds(30));

        var name = new NpgsqlConnectionStringBuilder(app.TestDatabase.ConnectionString).Database!;
        await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable(TestDatabase.PostgresVariable));
        await admin.OpenAsync();
        await admin.ExecuteAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS false");
        try
        {
            await admin.ExecuteAsync("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @name", new { name });
            // Two failures in a row: the loop survived the first and backed off.
            var deadline = DateTime.UtcNow.AddSeconds(20);
            while (!app.Logs.Lines.Any(l => l.Contains("could not read the database (failure 2 in a row)", StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < deadline, "the feed never failed twice: " + string.Join("\n", app.Logs.Lines.TakeLast(5)));
                await Task.Delay(50);
            }
        }
        finally
        {
            await admin.ExecuteAsync($"ALTER DATABASE {name} ALLOW_CONNECTIONS true");
        }

        var sid = NewCallSid();
        await app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        var board = await WallboardFeedTests.NextAsync(watch, w => w.Callers.Any(c => c.CallSid == sid), TimeSpan.FromSeconds(20));
        Assert.Equal(1, board.Waiting);
        Assert.Contains(app.Logs.Lines, l => l.Contains("The wallboard feed reads the database again after", StringComparison.Ordinal));
    }
}
