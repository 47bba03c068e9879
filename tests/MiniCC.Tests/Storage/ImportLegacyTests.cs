using Dapper;
using MySqlConnector;

namespace MiniCC.Tests.Storage;

/// <summary>
/// <c>minicc import-legacy</c> against a MariaDB database created with the original Twilio-MiniCC's schema
/// (DDL written here from its documented column list) and rows written by the test.
/// </summary>
public sealed class ImportLegacyTests : IDisposable
{
    private const string OriginalSchema = """
        CREATE TABLE operators (telnum VARCHAR(20) NOT NULL, PRIMARY KEY (telnum)) ENGINE=InnoDB;
        CREATE TABLE enqueue_data (
            CallSid CHAR(34) NOT NULL, `From` VARCHAR(255), `To` VARCHAR(255), CallStatus VARCHAR(15), ApiVersion CHAR(10),
            Direction VARCHAR(15), ForwardedFrom VARCHAR(255), CallerName VARCHAR(255),
            QueueResult VARCHAR(15), QueueSid CHAR(34), QueueTime INT, Time DATETIME,
            PRIMARY KEY (CallSid), INDEX (CallStatus), INDEX (QueueResult), INDEX (QueueSid)) ENGINE=InnoDB;
        CREATE TABLE queue_data (
            CallSid CHAR(34) NOT NULL, `From` VARCHAR(255), `To` VARCHAR(255), CallStatus VARCHAR(15), ApiVersion CHAR(10),
            Direction VARCHAR(15), ForwardedFrom VARCHAR(255), CallerName VARCHAR(255),
            QueueSid CHAR(34), QueueTime INT, DequeingCallSid CHAR(34), Time DATETIME,
            PRIMARY KEY (CallSid), INDEX (CallStatus), INDEX (QueueSid), INDEX (DequeingCallSid)) ENGINE=InnoDB;
        CREATE TABLE statuscallback_data (
            CallSid CHAR(34) NOT NULL, `From` VARCHAR(255), `To` VARCHAR(255), CallStatus VARCHAR(15), ApiVersion CHAR(10),
            Direction VARCHAR(15), ForwardedFrom VARCHAR(255), CallerName VARCHAR(255),
            CallDuration INT, RecordingUrl VARCHAR(255), RecordingSid CHAR(34), RecordingDuration INT, Time DATETIME,
            PRIMARY KEY (CallSid), INDEX (CallStatus), INDEX (RecordingSid)) ENGINE=InnoDB;
        """;

    private const string Answered = "CA00000000000000000000000000000001";
    private const string Abandoned = "CA00000000000000000000000000000002";
    private const string OperatorLeg = "CA00000000000000000000000000000009";
    private const string Queue = "QU00000000000000000000000000000001";

    private readonly Minicc _cli = new();
    private TestDatabase? _legacy;

    public void Dispose()
    {
        _legacy?.Dispose();
        _cli.Dispose();
    }

    private async Task<string> LegacyDatabaseAsync()
    {
        _legacy = TestDatabase.Create("mysql");
        await using var db = new MySqlConnection(_legacy.ConnectionString);
        await db.ExecuteAsync(OriginalSchema);
        await db.ExecuteAsync("""
            INSERT INTO operators (telnum) VALUES ('+819033334444'), ('090-5555-6666'), ('not a number');
            INSERT INTO queue_data VALUES
                (@Answered, '+819011112222', '+81501234567', 'in-progress', '2010-04-01', 'inbound', NULL, NULL, @Queue, 25, @OperatorLeg, '2024-03-01 10:00:25');
            INSERT INTO enqueue_data VALUES
                (@Answered, '+819011112222', '+81501234567', 'in-progress', '2010-04-01', 'inbound', NULL, NULL, 'bridged', @Queue, 25, '2024-03-01 10:02:25'),
                (@Abandoned, '+819077778888', '+81501234567', 'completed', '2010-04-01', 'inbound', NULL, NULL, 'hangup', @Queue, 48, '2024-03-01 11:00:48'),
                ('bogus-sid', '+819000000000', '+81501234567', 'completed', '2010-04-01', 'inbound', NULL, NULL, 'hangup', @Queue, 5, '2024-03-01 11:05:00'),
                ('CA00000000000000000000000000000003', '+819000000001', '+81501234567', 'completed', '2010-04-01', 'inbound', NULL, NULL, 'hangup', @Queue, 5, NULL);
            INSERT INTO statuscallback_data VALUES
                (@Answered, '+819011112222', '+81501234567', 'completed', '2010-04-01', 'inbound', NULL, 'YAMADA', 170, 'https://api.twilio.com/rec', 'RE00000000000000000000000000000001', 150, '2024-03-01 10:02:50');
            """, new { Answered, Abandoned, OperatorLeg, Queue });
        return _legacy.ConnectionString;
    }

    [SkippableFact]
    public async Task TheOriginalsOperatorsAndHistoryAreImportedOnceWithUnmappableRowsReported()
    {
        var legacy = await LegacyDatabaseAsync();

        var first = await _cli.RunAsync("import-legacy", "--from", legacy, "--time-zone", "Asia/Tokyo");

        Assert.True(first.ExitCode == 0, first.Err + first.Out);
        Assert.Matches(@"operators\s+3\s+2\s+0\s+1", first.Out);
        Assert.Matches(@"queue_data\s+1\s+1\s+0\s+0", first.Out);
        Assert.Matches(@"enqueue_data\s+4\s+2\s+0\s+2", first.Out);
        Assert.Matches(@"statuscallback_data\s+1\s+1\s+0\s+0", first.Out);
        Assert.Contains("telnum 'not a number'", first.Out, StringComparison.Ordinal);
        Assert.Contains("CallSid bogus-sid: CallSid is not a Twilio call SID", first.Out, StringComparison.Ordinal);
        Assert.Contains("CallSid CA00000000000000000000000000000003: no Time", first.Out, StringComparison.Ordinal);

        var second = await _cli.RunAsync("import-legacy", "--from", legacy, "--time-zone", "Asia/Tokyo");
        Assert.Equal(0, second.ExitCode);
        Assert.Matches(@"operators\s+3\s+0\s+2\s+1", second.Out);
        Assert.Matches(@"enqueue_data\s+4\s+0\s+2\s+2", second.Out);
        Assert.Matches(@"statuscallback_data\s+1\s+0\s+1\s+0", second.Out);

        Assert.Contains("+819055556666", (await _cli.RunAsync("operators", "list")).Out, StringComparison.Ordinal);
        await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_cli.DatabaseFile}");
        var visits = (await db.QueryAsync<(string CallSid, long EnteredAt, long? AnsweredAt, long? WaitSeconds, string? OperatorCallSid, string Result, long? TalkSeconds)>(
            "SELECT call_sid, entered_at, answered_at, wait_seconds, operator_call_sid, result, talk_seconds FROM queue_visits ORDER BY entered_at")).ToList();
        Assert.Equal(2, visits.Count);
        var tokyo10 = new DateTimeOffset(2024, 3, 1, 10, 0, 0, TimeSpan.FromHours(9)).ToUnixTimeMilliseconds();
        Assert.Equal((Answered, tokyo10, tokyo10 + 25_000, 25L, OperatorLeg, "bridged", 120L),
            (visits[0].CallSid, visits[0].EnteredAt, visits[0].AnsweredAt, visits[0].WaitSeconds, visits[0].OperatorCallSid, visits[0].Result, visits[0].TalkSeconds));
        Assert.Equal((Abandoned, "hangup", 48L, (long?)null), (visits[1].CallSid, visits[1].Result, visits[1].WaitSeconds, visits[1].AnsweredAt));
        var ended = await db.QuerySingleAsync<(long Duration, string Sid)>("SELECT duration_seconds, recording_sid FROM calls WHERE call_sid = @Answered", new { Answered });
        Assert.Equal((170L, "RE00000000000000000000000000000001"), ended);
        // The imported history answers through the original's own table names too.
        Assert.Equal(2, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM enqueue_data"));
        Assert.Equal(1, await db.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM enqueue_data WHERE QueueResult = 'hangup'"));
    }

    [Fact]
    public async Task AnUnreachableOriginalDatabaseIsNamedWithoutItsPassword()
    {
        var result = await _cli.RunAsync("import-legacy", "--from", "Server=127.0.0.1;Port=1;Database=x;User ID=u;Password=hunter2-secret");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--from", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2-secret", result.Err + result.Out, StringComparison.Ordinal);
    }
}
