using System.Diagnostics;
using System.Globalization;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using MiniCC;
using MiniCC.Bench;
using MiniCC.Reports;
using MiniCC.Storage;

// Report speed on a big history: a year of a 100-operator center (10 million queue visits by default), generated
// inside the database (BigHistory) and rolled up, then the month, year and day reports and the wallboard, each read
// from the rollups and, for comparison in the same run, from the history alone (as before schema 9).
//   dotnet run -c Release --project bench/MiniCC.Bench -- sqlite "Data Source=/tmp/big.db" [visits]
//   dotnet run -c Release --project bench/MiniCC.Bench -- postgres "Host=…;Database=…" [visits]
// With --generate-only, it stops after generating a history on schema 8 (before rollups), for the previous version's
// bench to measure; run again without it, schema 9 then rolls up the history it finds, as an upgrade does.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: MiniCC.Bench sqlite|postgres <connection string> [visits] [--generate-only]");
    return 2;
}

var generateOnly = args.Contains("--generate-only");
args = [.. args.Where(a => a != "--generate-only")];

var provider = args[0];
var visits = args.Length > 2 ? long.Parse(args[2], CultureInfo.InvariantCulture) : 10_000_000L;
var yearStart = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.FromHours(9));
var month = (From: yearStart.AddMonths(6), To: yearStart.AddMonths(7));
// The wallboard's "now": mid-afternoon in the middle of the month, so that today has history.
var clock = new FixedTime(month.From.AddDays(14).AddHours(15).AddMinutes(7));
var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
{
    ["Database:Provider"] = provider,
    ["ConnectionStrings:MiniCC"] = args[1],
    ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo",
}).Build();
var services = new ServiceCollection().AddLogging().AddSingleton<IConfiguration>(config).AddSingleton<TimeProvider>(clock);
services.AddMiniCC(config);
await using var sp = services.BuildServiceProvider();
var db = sp.GetRequiredService<Database>();
var thresholds = RollupThresholds.Of(new ReportOptions());

var watch = Stopwatch.StartNew();
foreach (var m in await sp.GetRequiredService<Migrator>().MigrateAsync(default, generateOnly ? 8 : int.MaxValue))
{
    Console.WriteLine($"applied migration {m.Name} in {watch.Elapsed.TotalSeconds:0.0} s so far");
}

if (generateOnly)
{
    await BigHistory.GenerateAsync(db, provider, yearStart, visits);
    return 0;
}

if (await BigHistory.GenerateAsync(db, provider, yearStart, visits))
{
    // Written directly, not through the writer: nothing is marked, so rebuild (as after an import).
    watch.Restart();
    var hours = await Rollups.RebuildAsync(db, thresholds, null, default);
    Console.WriteLine($"rebuilt the rollups ({hours:N0} hours) in {watch.Elapsed.TotalSeconds:0.0} s");
}
else if (await Rollups.MarkedHoursAsync(db, default) > 0)
{
    // A history that was there before schema 9, which marked all of it: what `minicc migrate` then does.
    watch.Restart();
    var hours = await Rollups.RefreshAllAsync(db, thresholds, null, default);
    Console.WriteLine($"rolled up the history already there ({hours:N0} hours) in {watch.Elapsed.TotalSeconds:0.0} s");
}

var reports = sp.GetRequiredService<ReportQuery>();
var live = sp.GetRequiredService<LiveQuery>();
Console.WriteLine($"{provider}: {await Count("queue_visits"):N0} visits, {await Count("calls"):N0} calls, {await Count("operator_sessions"):N0} operator sessions; " +
    $"rollups: {await Count("rollup_queue"):N0} + {await Count("rollup_operators"):N0} + {await Count("rollup_ivr"):N0} rows");

async Task<double> Time(string what, Func<Task> run, int times = 5)
{
    // Warm: the fast paths several times, so that the JIT has optimized them (tiered compilation starts unoptimized).
    for (var w = 0; w < (times >= 5 ? 5 : 1); w++)
    {
        await run();
    }

    var samples = new List<double>();
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    for (var i = 0; i < times; i++)
    {
        var sw = Stopwatch.StartNew();
        await run();
        samples.Add(sw.Elapsed.TotalMilliseconds);
    }

    // This process's CPU per run (SQLite runs inside it; a database server's CPU is not counted): on a shared machine
    // the wall-clock times depend on what else runs, this much less.
    cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu) / times;
    samples.Sort();
    Console.WriteLine($"{what,-64} median {samples[times / 2],9:0.0} ms   min {samples[0],9:0.0} ms   max {samples[^1],9:0.0} ms   CPU {cpu.TotalMilliseconds,8:0.0} ms");
    return samples[times / 2];
}

async Task Compare(string what, DateTimeOffset from, DateTimeOffset to, int interval, int historyTimes)
{
    Report? r = null;
    var after = await Time($"{what}: rollups", async () => r = await reports.RunAsync(from, to, interval, null, ReportSource.Rollups, default));
    Console.WriteLine($"  (offered {r!.Totals.Offered:N0}, {r.Intervals.Count:N0} intervals, {r.Operators.Count} operators, {r.AbandonedCallers.Count:N0} of {r.Totals.Abandoned:N0} abandoned callers listed)");
    await Time($"{what}: rollups, without the list of abandoned callers", () => reports.SumsAsync(from, to, interval, null, default));
    var before = await Time($"{what}: history alone", () => reports.RunAsync(from, to, interval, null, ReportSource.History, default), historyTimes);
    Console.WriteLine($"  rollups {before / after:0.0}x faster");
}

await Compare("month, 30-minute intervals", month.From, month.To, 30, 3);
await Time("  of which: the month's 15-minute buckets, rollups", () => reports.BucketsAsync(month.From, month.To, null, ReportSource.Rollups, default));
await Time("  the month's every abandoned caller (abandoned.csv's query)", () => reports.AbandonedCallersAsync(month.From, month.To, null, default));
await Compare("the year, 60-minute intervals", yearStart, yearStart.AddYears(1), 60, 1);
await Time("  the year's every abandoned caller (abandoned.csv's query)", () => reports.AbandonedCallersAsync(yearStart, yearStart.AddYears(1), null, default), 3);
await Compare("one day, 15-minute intervals", month.From, month.From.AddDays(1), 15, 5);
await Time("wallboard (today rolled up)", () => live.WallboardAsync(default));

// The steady state of a live center: the hour being written is marked again and again until a refresh.
var now = clock.GetUtcNow().ToUnixTimeMilliseconds();
var nowSid = "CA" + ((now - yearStart.ToUnixTimeMilliseconds()) / (365L * 24 * 3600 * 1000 / visits)).ToString("D32", CultureInfo.InvariantCulture);
Task Mark(IReadOnlyCollection<string> sids) => db.WriteAsync(async (c, tx) =>
{
    await Rollups.MarkAsync(c, tx, db.Dialect, sids, default);
    return 0;
}, default);
await Mark([nowSid]);
await Time("wallboard (the current hour marked: read from the history)", () => live.WallboardAsync(default));
await Time("month, 30-minute intervals, the current hour marked", () => reports.RunAsync(month.From, month.To, 30, default));
await Time("refresh of one marked hour (the background refresher's work)", async () =>
{
    await Mark([nowSid]);
    await Rollups.RefreshAsync(db, thresholds, Rollups.HoursPerRefresh, default);
});
var batch = Enumerable.Range(0, 100).Select(i => "CA" + (((now - yearStart.ToUnixTimeMilliseconds()) / (365L * 24 * 3600 * 1000 / visits)) - i).ToString("D32", CultureInfo.InvariantCulture)).ToList();
await Time("MarkAsync for 100 CallSids in a write transaction (the seam)", () => Mark(batch));
await Time("an empty write transaction, for comparison", () => db.WriteAsync((_, _) => Task.FromResult(0), default));
await Rollups.RefreshAllAsync(db, thresholds, null, default);
return 0;

async Task<long> Count(string table) =>
    await db.ReadAsync(c => c.ExecuteScalarAsync<long>(new CommandDefinition($"SELECT COUNT(*) FROM {table}", commandTimeout: 600)), default);

/// <summary>A clock stopped at one moment of the generated year.</summary>
internal sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}
