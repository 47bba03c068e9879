using Dapper;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

/// <summary>
/// Every webhook finds its call by SID. On PostgreSQL a CHAR(34) column compared with Npgsql's text parameters is
/// cast, and its index cannot be used: each webhook read whole tables. With sequential scans forbidden, the plan of
/// each lookup must use an index.
/// </summary>
public sealed class PostgresSidLookupTests() : ProviderTests("postgres")
{
    [SkippableTheory]
    [InlineData("SELECT * FROM call_events WHERE call_sid = @sid")]
    [InlineData("SELECT * FROM calls WHERE call_sid = @sid")]
    [InlineData("SELECT * FROM queue_visits WHERE call_sid = @sid")]
    [InlineData("SELECT * FROM queue_visits WHERE operator_call_sid = @sid")]
    [InlineData("SELECT * FROM operator_sessions WHERE call_sid = @sid")]
    public async Task ALookupBySidFromAStringParameterUsesAnIndex(string query)
    {
        var plan = await App.Database.ReadAsync(async c =>
        {
            await c.ExecuteAsync("SET enable_seqscan = off");
            return string.Join("\n", await c.QueryAsync<string>("EXPLAIN " + query, new { sid = NewCallSid() }));
        }, default);

        Assert.DoesNotContain("Seq Scan", plan, StringComparison.Ordinal);
    }
}
