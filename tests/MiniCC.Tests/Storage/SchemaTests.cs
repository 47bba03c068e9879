using Dapper;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Storage;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Storage;

public sealed class SqliteSchemaTests() : SchemaTests("sqlite");

public sealed class MySqlSchemaTests() : SchemaTests("mysql");

public sealed class PostgresSchemaTests() : SchemaTests("postgres");

/// <summary>Migrations and the views compatible with the original Twilio-MiniCC, on every provider.</summary>
public abstract class SchemaTests(string provider) : ProviderTests(provider)
{

    /// <summary>The original's column names, quoted as each database needs for the reserved words.</summary>
    private string Q(string name) => Provider switch
    {
        "mysql" => $"`{name}`",
        "postgres" => $"\"{name.ToLowerInvariant()}\"",
        _ => $"\"{name}\"",
    };

    private async Task<(string Operator, string Customer)> ACallThatWasAnsweredAsync()
    {
        var op = await App.OperatorCallsInAsync();
        var customer = NewCallSid();
        await App.TwimlAsync("/voice/incoming", Call(customer, status: "ringing"));
        await App.TwimlAsync("/voice/menu", Call(customer, extra: ("Digits", "1")));
        await App.TwimlAsync("/voice/wait", Call(customer, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        App.Clock.Advance(TimeSpan.FromSeconds(25));
        await App.TwimlAsync("/voice/whisper", Call(customer, extra: [("QueueSid", QueueSid), ("QueueTime", "25"), ("DequeingCallSid", op)]));
        App.Clock.Advance(TimeSpan.FromSeconds(90));
        await App.TwimlAsync("/voice/queue-exit", Call(customer, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "25")]));
        using var _ = await App.PostAsync("/voice/status", Call(customer, status: "completed", extra:
            [("CallDuration", "130"), ("RecordingUrl", "https://api.twilio.com/r/RE1"), ("RecordingSid", "RE" + new string('2', 32)), ("RecordingDuration", "88")]));
        return (op, customer);
    }

    [SkippableFact]
    public async Task TheOriginalsTablesAnswerWithTheOriginalsColumnNames()
    {
        var (op, customer) = await ACallThatWasAnsweredAsync();

        var enqueue = await App.Database.ReadAsync(c => c.QuerySingleAsync(
            $"SELECT CallSid, {Q("From")}, {Q("To")}, CallStatus, ApiVersion, Direction, ForwardedFrom, CallerName, " +
            $"QueueResult, QueueSid, QueueTime, {Q("Time")} FROM enqueue_data"), default);
        var row = (IDictionary<string, object?>)enqueue;
        Assert.Equal(customer, Value(row, "CallSid"));
        Assert.Equal(Customer, Value(row, "From"));
        Assert.Equal(Number, Value(row, "To"));
        Assert.Equal("bridged", Value(row, "QueueResult"));
        Assert.Equal(QueueSid, Value(row, "QueueSid"));
        Assert.Equal(25L, Convert.ToInt64(Value(row, "QueueTime"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.NotNull(Value(row, "Time"));

        var pickup = (IDictionary<string, object?>)await App.Database.ReadAsync(c => c.QuerySingleAsync(
            "SELECT CallSid, QueueSid, QueueTime, DequeingCallSid FROM queue_data"), default);
        Assert.Equal(customer, Value(pickup, "CallSid"));
        Assert.Equal(op, Value(pickup, "DequeingCallSid"));

        var status = (IDictionary<string, object?>)await App.Database.ReadAsync(c => c.QuerySingleAsync(
            "SELECT CallSid, CallStatus, CallDuration, RecordingUrl, RecordingSid, RecordingDuration FROM statuscallback_data"), default);
        Assert.Equal("completed", Value(status, "CallStatus"));
        Assert.Equal(130L, Convert.ToInt64(Value(status, "CallDuration"), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("RE" + new string('2', 32), Value(status, "RecordingSid"));

        var telnums = await App.Database.ReadAsync(c => c.QueryAsync<string>("SELECT telnum FROM operators"), default);
        Assert.Equal([OperatorPhone], telnums);

        // The original's report query for abandoned calls keeps working.
        var abandoned = await App.Database.ReadAsync(c => c.ExecuteScalarAsync<long>(
            "SELECT COUNT(*) FROM enqueue_data WHERE QueueResult = 'hangup'"), default);
        Assert.Equal(0, abandoned);
    }

    [SkippableFact]
    public async Task DisabledOperatorsAreNotInTheOriginalsOperatorsTable()
    {
        await App.Operators.AddAsync(OperatorPhone, null, default);
        await App.Operators.SetActiveAsync(OperatorPhone, false, default);
        Assert.Empty(await App.Database.ReadAsync(c => c.QueryAsync<string>("SELECT telnum FROM operators"), default));
    }

    [SkippableFact]
    public async Task MigratingAnOlderDatabaseKeepsItsDataAndIsIdempotent()
    {
        using var db = TestDatabase.Create(Provider);
        using var services = new ServiceCollection()
            .AddSingleton(new DatabaseSettings(Provider, db.ConnectionString))
            .AddSingleton<Database>()
            .AddSingleton(TimeProvider.System)
            .AddSingleton<Migrator>()
            .AddSingleton<MiniCC.Operators.OperatorStore>()
            .BuildServiceProvider();
        var migrator = services.GetRequiredService<Migrator>();
        var database = services.GetRequiredService<Database>();

        Assert.Single(await migrator.MigrateAsync(default, upToVersion: 1));
        // Data written by schema 1, with schema 1's columns.
        await database.WriteAsync((c, tx) => c.ExecuteAsync(
            "INSERT INTO operator_directory (phone, name, active, created_at) VALUES (@OperatorPhone, 'Sato', 1, 0)",
            new { OperatorPhone }, tx), default);
        Assert.Equal(1, await migrator.CurrentVersionAsync(default));

        var applied = await migrator.MigrateAsync(default);
        Assert.Equal(Migrator.Load(database.Dialect.Name).Select(m => m.Version).Where(v => v > 1), applied.Select(a => a.Version));
        Assert.Empty(await migrator.MigrateAsync(default));
        Assert.Equal(Migrator.Load(database.Dialect.Name).Max(m => m.Version), await migrator.CurrentVersionAsync(default));

        var op = await services.GetRequiredService<MiniCC.Operators.OperatorStore>().FindAsync(OperatorPhone, default);
        Assert.Equal("Sato", op!.Name);
        Assert.Equal([OperatorPhone], await database.ReadAsync(c => c.QueryAsync<string>("SELECT telnum FROM operators"), default));
    }

    [SkippableFact]
    public async Task InstancesMigratingAtTheSameTimeApplyEachMigrationOnce()
    {
        using var db = TestDatabase.Create(Provider);
        var migrators = Enumerable.Range(0, 4).Select(_ =>
        {
            var database = new Database(new DatabaseSettings(Provider, db.ConnectionString));
            return (database, migrator: new Migrator(database, TimeProvider.System));
        }).ToList();
        try
        {
            var applied = await Task.WhenAll(migrators.Select(m => Task.Run(() => m.migrator.MigrateAsync(default))));
            Assert.Equal(Migrator.Load(migrators[0].database.Dialect.Name).Count, applied.Sum(a => a.Count));
            Assert.Equal(Migrator.Load(migrators[0].database.Dialect.Name).Count,
                await migrators[0].database.ReadAsync(c => c.ExecuteScalarAsync<int>("SELECT COUNT(*) FROM schema_version"), default));
        }
        finally
        {
            migrators.ForEach(m => m.database.Dispose());
        }
    }

    [Fact]
    public void EveryDialectHasTheSameNumberedMigrations()
    {
        var sqlite = Migrator.Load("sqlite").Select(m => m.Name).ToList();
        Assert.NotEmpty(sqlite);
        Assert.Equal(sqlite, Migrator.Load("mysql").Select(m => m.Name));
        Assert.Equal(sqlite, Migrator.Load("postgres").Select(m => m.Name));
        Assert.Equal(Enumerable.Range(1, sqlite.Count), Migrator.Load("sqlite").Select(m => m.Version));
    }

    private static object? Value(IDictionary<string, object?> row, string column) =>
        row.First(kv => string.Equals(kv.Key, column, StringComparison.OrdinalIgnoreCase)).Value;
}
