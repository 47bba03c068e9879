using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
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
services.AddStorage(config);
services.AddReports(config);
await using var sp = services.BuildServiceProvider();
var db = sp.GetRequiredService<Database>();
await sp.GetRequiredService<Migrator>().MigrateAsync(default);

var yearStart = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(9));
await MiniCC.Bench.BigHistory.GenerateAsync(db, provider, yearStart, visits);

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
await Time("report: the year, 60-minute intervals", () => reports.RunAsync(yearStart, yearStart.AddYears(1), 60, default), 3);
await Time("report: one day, 15-minute intervals", () => reports.RunAsync(month.From, month.From.AddDays(1), 15, default));
await Time("wallboard", () => live.WallboardAsync(default));
return 0;

