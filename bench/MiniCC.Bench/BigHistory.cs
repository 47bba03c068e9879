using System.Diagnostics;
using Dapper;
using MiniCC.Storage;

namespace MiniCC.Bench;

/// <summary>
/// A year of a 100-operator center, generated inside the database by INSERT … SELECT: the queue visits, the calls
/// behind them (each visit's customer call, and one information-only call per ten visits), the operators and three
/// 8-hour sessions per operator per day. Rows are written directly, as the legacy importer's would be: the
/// rollups are rebuilt afterwards.
/// </summary>
internal static class BigHistory
{
    public static async Task<bool> GenerateAsync(Database db, string provider, DateTimeOffset yearStart, long visits)
    {
        var existing = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM queue_visits"), default);
        if (existing >= visits)
        {
            return false;
        }

        var g = new Sql(provider);
        var watch = Stopwatch.StartNew();
        // One visit every (year / visits) ms; 85% answered by one of 100 operators, 12% abandoned, 3% other.
        var step = 365L * 24 * 3600 * 1000 / visits;
        var start = yearStart.ToUnixTimeMilliseconds();
        var at = $"{start} + n * {step}";
        await RunAsync(db, $"""
            INSERT INTO queue_visits (call_sid, queue_sid, queue_name, from_number, entered_at, answered_at, wait_seconds,
                operator_call_sid, operator_id, exited_at, result, talk_seconds)
            SELECT 'CA' || {g.Pad("n")}, 'QU00000000000000000000000000000001', 'MiniCC', '+8190' || {Sql.Mod("n", "100000000")},
                {at},
                CASE WHEN {Sql.Mod("n", "100")} < 85 THEN {at} + {Sql.Mod("n * 7", "60")} * 1000 END,
                {Sql.Mod("n * 7", "60")},
                CASE WHEN {Sql.Mod("n", "100")} < 85 THEN 'CO' || {g.Pad(Session("n * " + step, Sql.Mod("n", "100")))} END,
                CASE WHEN {Sql.Mod("n", "100")} < 85 THEN {Sql.Mod("n", "100")} + 1 END,
                {at} + 300000,
                CASE WHEN {Sql.Mod("n", "100")} < 85 THEN 'bridged' WHEN {Sql.Mod("n", "100")} < 97 THEN 'hangup' ELSE 'leave' END,
                CASE WHEN {Sql.Mod("n", "100")} < 85 THEN 60 + {Sql.Mod("n * 13", "400")} END
            FROM {g.Series(existing, visits)}
            """);
        Console.WriteLine($"generated {visits - existing:N0} queue visits in {watch.Elapsed.TotalSeconds:0.0} s");

        // The customer calls behind the visits (20 s in the menu; 1 in 10 pressed nothing), and information-only calls.
        watch.Restart();
        await RunAsync(db, $"""
            INSERT INTO calls (call_sid, from_number, to_number, direction, role, started_at, ivr_choice, ended_at, final_status, duration_seconds)
            SELECT 'CA' || {g.Pad("n")}, '+8190' || {Sql.Mod("n", "100000000")}, '+81312345678', 'inbound', 'customer', {at} - 20000,
                CASE WHEN {Sql.Mod("n", "10")} = 9 THEN 'no-input' ELSE 'operator' END, {at} + 300000, 'completed', 320
            FROM {g.Series(existing, visits)}
            """);
        await RunAsync(db, $"""
            INSERT INTO calls (call_sid, from_number, to_number, direction, role, started_at, ivr_choice, ended_at, final_status, duration_seconds)
            SELECT 'CB' || {g.Pad("n")}, '+8180' || {Sql.Mod("n", "100000000")}, '+81312345678', 'inbound', 'customer', {start} + n * {step * 10} + 5000,
                CASE WHEN {Sql.Mod("n", "50")} = 0 THEN 'invalid' ELSE 'information' END, {start} + n * {step * 10} + 65000, 'completed', 60
            FROM {g.Series(existing / 10, visits / 10)}
            """);
        Console.WriteLine($"generated {visits - existing + ((visits - existing) / 10):N0} calls in {watch.Elapsed.TotalSeconds:0.0} s");

        // 100 operators, each signed in for three 8-hour shifts a day (k: day × 300 + shift × 100 + operator); a visit's
        // operator_call_sid is the session of its operator at the time.
        watch.Restart();
        var operators = await db.ReadAsync(c => c.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM operator_directory"), default);
        if (operators == 0)
        {
            await RunAsync(db, $"""
                INSERT INTO operator_directory (id, phone, name, active, created_at)
                SELECT n + 1, '+81900000' || {g.Pad3("n")}, 'Operator ' || (n + 1), 1, {start} FROM {g.Series(0, 100)}
                """);
        }

        const long shift = 8L * 3600 * 1000;
        var session = $"{start} + (n / 300) * 86400000 + {Sql.Mod("n / 100", "3")} * {shift} + {Sql.Mod("n", "100")} * 1000";
        await RunAsync(db, $"""
            INSERT INTO operator_sessions (call_sid, operator_id, phone, started_at, ended_at)
            SELECT 'CO' || {g.Pad("n")}, {Sql.Mod("n", "100")} + 1, '+81900000' || {g.Pad3(Sql.Mod("n", "100"))},
                {session}, {session} + {shift} - {Sql.Mod("n", "7")} * 1000
            FROM {g.Series(0, 365 * 300)}
            WHERE NOT EXISTS (SELECT 1 FROM operator_sessions)
            """);
        Console.WriteLine($"generated operators and sessions in {watch.Elapsed.TotalSeconds:0.0} s");

        // PostgreSQL: VACUUM too, so that index-only scans need not wait for autovacuum (one statement each: VACUUM
        // refuses to run in a batch).
        watch.Restart();
        foreach (var sql in provider == "postgres" ? ["VACUUM ANALYZE queue_visits", "VACUUM ANALYZE calls", "VACUUM ANALYZE operator_sessions"] : new[] { "ANALYZE" })
        {
            await db.ReadAsync(c => c.ExecuteAsync(new CommandDefinition(sql, commandTimeout: 1800, commandType: System.Data.CommandType.Text)), default);
        }

        Console.WriteLine($"analyzed in {watch.Elapsed.TotalSeconds:0.0} s");
        return true;
    }

    /// <summary>The number of the session of operator <paramref name="op"/> (0–99) at <paramref name="ms"/> from the year's start.</summary>
    private static string Session(string ms, string op) => $"(({ms}) / 86400000) * 300 + ((({ms}) % 86400000) / 28800000) * 100 + ({op})";

    private static Task<int> RunAsync(Database db, string sql) =>
        db.WriteAsync((c, tx) => c.ExecuteAsync(new CommandDefinition(sql, transaction: tx, commandTimeout: 3600)), default);

    private sealed class Sql(string provider)
    {
        public string Pad(string n) => provider == "postgres" ? $"lpad(({n})::text, 32, '0')" : $"substr('00000000000000000000000000000000' || ({n}), -32, 32)";

        public string Pad3(string n) => provider == "postgres" ? $"lpad(({n})::text, 3, '0')" : $"substr('000' || ({n}), -3, 3)";

        public static string Mod(string a, string b) => $"(({a}) % {b})";

        public string Series(long from, long to) => provider == "postgres"
            ? $"generate_series({from}::bigint, {to - 1}::bigint) AS g(n)"
            : $"(WITH RECURSIVE s(n) AS (SELECT {from} UNION ALL SELECT n + 1 FROM s WHERE n < {to - 1}) SELECT n FROM s)";
    }
}
