using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MiniCC;
using MiniCC.Reports;
using MiniCC.Storage;

// Report speed on a big history: a year of a 100-operator center (10 million queue visits by default),
// generated inside the database, then the month report at 30-minute intervals and the wallboard, timed.
//   dotnet run -c Release --project bench/MiniCC.Bench -- sqlite "Data Source=/tmp/big.db" [visits]
//   dotnet run -c Release --project bench/MiniCC.Bench -- postgres "Host=…;Database=…" [visits]
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: MiniCC.Bench sqlite|postgres <connection string> [visits]");
    return 2;
}

var provider = args[0];
var visits = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 10_000_000L;
var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:Provider"] = provider,
    ["ConnectionStrings:MiniCC"] = args[1],
    ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo",
}).Build();
var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config);
services.AddMiniCC(config);
await using var sp = services.BuildServiceProvider();
var db = sp.GetRequiredService<Database>();
await sp.GetRequiredService<Migrator>().MigrateAsync(default);

var yearStart = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(9));
var existing = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM queue_visits"), default);
var watch = Stopwatch.StartNew();
if (existing < visits)
{
    // One visit every (year / visits) ms; 85% answered by one of 100 operators, 12% abandoned, 3% other.
    var step = 365L * 24 * 3600 * 1000 / visits;
    var start = yearStart.ToUnixTimeMilliseconds();
    var insert = $"""
        INSERT INTO queue_visits (call_sid, queue_sid, queue_name, from_number, entered_at, answered_at, wait_seconds,
            operator_call_sid, operator_id, exited_at, result, talk_seconds)
        SELECT 'CA' || {Pad("n")}, 'QU00000000000000000000000000000001', 'MiniCC', '+8190' || {Mod("n", "100000000")},
            {start} + n * {step},
            CASE WHEN {Mod("n", "100")} < 85 THEN {start} + n * {step} + {Mod("n * 7", "60")} * 1000 END,
            {Mod("n * 7", "60")},
            NULL,
            CASE WHEN {Mod("n", "100")} < 85 THEN {Mod("n", "100")} + 1 END,
            {start} + n * {step} + 300000,
            CASE WHEN {Mod("n", "100")} < 85 THEN 'bridged' WHEN {Mod("n", "100")} < 97 THEN 'hangup' ELSE 'leave' END,
            CASE WHEN {Mod("n", "100")} < 85 THEN 60 + {Mod("n * 13", "400")} END
        FROM {Series(existing, visits)}
        """;
    await db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(insert, transaction: tx, commandTimeout: 3600)), default);
    Console.WriteLine($"generated {visits - existing:N0} queue visits in {watch.Elapsed.TotalSeconds:0.0} s");
    if (provider == "postgres")
    {
        await db.ReadAsync(c => c.ExecuteAsync(new CommandDefinition("ANALYZE queue_visits", commandTimeout: 600, commandType: System.Data.CommandType.Text)), default);
    }
    else
    {
        await db.ReadAsync(c => c.ExecuteAsync(new CommandDefinition("ANALYZE", commandTimeout: 600, commandType: System.Data.CommandType.Text)), default);
    }
}

var reports = sp.GetRequiredService<ReportQuery>();
var live = sp.GetRequiredService<LiveQuery>();
var month = (From: yearStart.AddMonths(6), To: yearStart.AddMonths(7));
Console.WriteLine($"{provider}: {await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM queue_visits"), default):N0} visits in the database");

async Task Time(string what, Func<Task> run, int times = 5)
{
    await run(); // warm
    var samples = new List<double>();
    for (var i = 0; i < times; i++)
    {
        var sw = Stopwatch.StartNew();
        await run();
        samples.Add(sw.Elapsed.TotalMilliseconds);
    }

    samples.Sort();
    Console.WriteLine($"{what,-46} median {samples[times / 2],8:0.0} ms   min {samples[0],8:0.0} ms   max {samples[^1],8:0.0} ms");
}

Report? last = null;
await Time("report: one month, 30-minute intervals", async () => last = await reports.RunAsync(month.From, month.To, 30, default));
Console.WriteLine($"  (offered {last!.Totals.Offered:N0}, {last.Intervals.Count} intervals, {last.Operators.Count} operators, {last.AbandonedCallers.Count:N0} abandoned callers listed)");
await Time("  of which: the 15-minute buckets of the month", () => reports.BucketsAsync(month.From, month.To, default));
await Time("report: one day, 15-minute intervals", () => reports.RunAsync(month.From, month.From.AddDays(1), 15, default));
await Time("wallboard", () => live.WallboardAsync(default));
return 0;

string Pad(string n) => provider == "postgres" ? $"lpad(({n})::text, 32, '0')" : $"substr('00000000000000000000000000000000' || ({n}), -32, 32)";

string Mod(string a, string b) => $"(({a}) % {b})";

string Series(long from, long to) => provider == "postgres"
    ? $"generate_series({from}::bigint, {to - 1}::bigint) AS g(n)"
    : $"(WITH RECURSIVE s(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM s WHERE n < {to - 1}) SELECT n FROM s)";
