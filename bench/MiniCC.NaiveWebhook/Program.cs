using System.Data.Common;
using System.Text.Json;
using Dapper;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;

// The yardstick of bench/webhooks: what a straightforward webhook endpoint gets on the same machine and
// database, so that MiniCC's figures can be read as ratios measured in the same run. Each request is one
// form parse and one INSERT (autocommit) of the parameters as JSON into one table, answered with constant TwiML.
//   Database:Provider = sqlite | mysql | postgres, ConnectionStrings:Naive = the provider's connection string.
var builder = WebApplication.CreateBuilder(args);
using var table = new EventTable(
    builder.Configuration["Database:Provider"] ?? "sqlite",
    builder.Configuration.GetConnectionString("Naive") ?? "Data Source=naive.db");
await table.CreateAsync();

var app = builder.Build();
app.MapPost("/voice/{kind}", async (string kind, HttpRequest request) =>
{
    var form = await request.ReadFormAsync();
    var callSid = form["CallSid"].ToString();
    if (callSid.Length != 34 || kind.Length > 20)
    {
        return Results.BadRequest();
    }

    var parameters = JsonSerializer.Serialize(form.ToDictionary(f => f.Key, f => f.Value.ToString()));
    await table.InsertAsync(callSid, kind, parameters);
    return Results.Text("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>", "application/xml");
});
await app.RunAsync();

/// <summary>The one table. SQLite gets what MiniCC gives it (WAL, synchronous=NORMAL, one writer at a time).</summary>
internal sealed class EventTable(string provider, string connectionString) : IDisposable
{
    private const string Columns = "(call_sid, kind, received_at, params) VALUES (@callSid, @kind, @receivedAt, @parameters)";

    // Concurrent writers on one SQLite file ruin tail latency; servers take concurrent writers as they are.
    private readonly SemaphoreSlim? _gate = provider == "sqlite" ? new SemaphoreSlim(1, 1) : null;
    private readonly NpgsqlDataSource? _postgres = provider == "postgres" ? NpgsqlDataSource.Create(connectionString) : null;

    public async Task CreateAsync()
    {
        await using var c = await OpenAsync();
        await c.ExecuteAsync(provider switch
        {
            "mysql" => "CREATE TABLE IF NOT EXISTS webhook_events (id BIGINT AUTO_INCREMENT PRIMARY KEY, " +
                       "call_sid CHAR(34) NOT NULL, kind VARCHAR(20) NOT NULL, received_at BIGINT NOT NULL, params TEXT NOT NULL)",
            "postgres" => "CREATE TABLE IF NOT EXISTS webhook_events (id BIGSERIAL PRIMARY KEY, " +
                          "call_sid CHAR(34) NOT NULL, kind VARCHAR(20) NOT NULL, received_at BIGINT NOT NULL, params TEXT NOT NULL)",
            _ => "PRAGMA journal_mode=WAL; CREATE TABLE IF NOT EXISTS webhook_events (id INTEGER PRIMARY KEY AUTOINCREMENT, " +
                 "call_sid CHAR(34) NOT NULL, kind VARCHAR(20) NOT NULL, received_at BIGINT NOT NULL, params TEXT NOT NULL)",
        });
    }

    public async Task InsertAsync(string callSid, string kind, string parameters)
    {
        if (_gate is not null)
        {
            await _gate.WaitAsync();
        }

        try
        {
            await using var c = await OpenAsync();
            // synchronous is per connection, and a pooled connection may be new.
            var sql = (_gate is null ? "" : "PRAGMA synchronous=NORMAL; ") + "INSERT INTO webhook_events " + Columns;
            await c.ExecuteAsync(sql, new { callSid, kind, receivedAt = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(), parameters });
        }
        finally
        {
            _gate?.Release();
        }
    }

    private async Task<DbConnection> OpenAsync()
    {
        DbConnection c = provider switch
        {
            "mysql" => new MySqlConnection(connectionString),
            "postgres" => _postgres!.CreateConnection(),
            _ => new SqliteConnection(connectionString),
        };
        await c.OpenAsync();
        return c;
    }

    public void Dispose()
    {
        _gate?.Dispose();
        _postgres?.Dispose();
    }
}
