namespace MiniCC.Tests.Cli;

/// <summary>The verbs, each run in this process as <c>minicc</c> would run it (see <see cref="Minicc"/>); the executable itself: <see cref="ExecutableTests"/>.</summary>
public sealed class CliTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task OperatorsCanBeAddedListedDisabledEnabledAndRemoved()
    {
        var add = await _cli.RunAsync("operators", "add", "090-1234-5678", "--name", "Sato");
        Assert.Equal(0, add.ExitCode);
        Assert.Contains("Added operator +819012345678", add.Out, StringComparison.Ordinal);
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+1 415 867 5309")).ExitCode);

        var list = await _cli.RunAsync("operators", "list");
        Assert.Equal(0, list.ExitCode);
        Assert.Matches(@"\+14158675309\s+active\s+no", list.Out);
        Assert.Matches(@"\+819012345678\s+active\s+no\s+Sato", list.Out);

        Assert.Equal(0, (await _cli.RunAsync("operators", "disable", "+819012345678")).ExitCode);
        Assert.Matches(@"\+819012345678\s+disabled", (await _cli.RunAsync("operators", "list")).Out);
        Assert.Equal(0, (await _cli.RunAsync("operators", "enable", "09012345678")).ExitCode);
        Assert.Matches(@"\+819012345678\s+active", (await _cli.RunAsync("operators", "list")).Out);

        var remove = await _cli.RunAsync("operators", "remove", "+81 90-1234-5678");
        Assert.Equal(0, remove.ExitCode);
        Assert.DoesNotContain("+819012345678", (await _cli.RunAsync("operators", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task APinCanBeSetShownAndCleared()
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678", "--pin", "2580")).ExitCode);
        Assert.Matches(@"\+819012345678\s+active\s+yes", (await _cli.RunAsync("operators", "list")).Out);
        Assert.Equal(0, (await _cli.RunAsync("operators", "set-pin", "+819012345678", "--clear")).ExitCode);
        Assert.Matches(@"\+819012345678\s+active\s+no", (await _cli.RunAsync("operators", "list")).Out);
        var set = await _cli.RunAsync("operators", "set-pin", "090-1234-5678", "13579");
        Assert.Equal(0, set.ExitCode);
        Assert.DoesNotContain("13579", set.Out, StringComparison.Ordinal);
        Assert.Matches(@"\+819012345678\s+active\s+yes", (await _cli.RunAsync("operators", "list")).Out);
    }

    [Fact]
    public async Task APinLockIsListedAndUnlockEndsIt()
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678", "--name", "Sato", "--pin", "2580")).ExitCode);
        // Locked as wrong PINs over several calls lock it (OperatorPinLockoutTests shows that through the webhooks).
        var until = DateTimeOffset.UtcNow.AddMinutes(30).ToUnixTimeMilliseconds();
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_cli.DatabaseFile};Pooling=False"))
        {
            db.Open();
            using var lockIt = db.CreateCommand();
            lockIt.CommandText = "UPDATE operator_directory SET pin_locked_until = $until; " +
                "INSERT INTO operator_pin_failures (operator_id, call_sid, attempt, failed_at) SELECT id, 'CA0', 1, $until FROM operator_directory";
            lockIt.Parameters.AddWithValue("$until", until);
            lockIt.ExecuteNonQuery();
        }

        Assert.Matches(@"\+819012345678\s+active\s+locked\s+Sato \(PIN locked until \d{4}-\d\d-\d\d \d\d:\d\d UTC", (await _cli.RunAsync("operators", "list")).Out);
        var unlock = await _cli.RunAsync("operators", "unlock", "090-1234-5678");
        Assert.Equal(0, unlock.ExitCode);
        Assert.Contains("Unlocked the PIN of operator +819012345678", unlock.Out, StringComparison.Ordinal);
        var list = await _cli.RunAsync("operators", "list");
        Assert.Matches(@"\+819012345678\s+active\s+yes\s+Sato", list.Out);
        Assert.DoesNotContain("locked", list.Out, StringComparison.Ordinal);

        var unknown = await _cli.RunAsync("operators", "unlock", "+819099998888");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("+819099998888 is not an operator", unknown.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("set-pin", "+819012345678", "12")]
    [InlineData("set-pin", "+819012345678", "12ab")]
    [InlineData("set-pin", "+819012345678")]
    public async Task ABadPinIsRefused(params string[] args)
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678")).ExitCode);
        var result = await _cli.RunAsync(["operators", .. args]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("minicc: ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UsersAreAddedWithAPasswordFromStandardInputListedAndRemoved()
    {
        var add = await _cli.RunWithInputAsync("correct horse battery\n", "users", "add", "manager", "--password-stdin");
        Assert.Equal(0, add.ExitCode);
        Assert.DoesNotContain("correct horse battery", add.Out + add.Err, StringComparison.Ordinal);
        Assert.Equal(1, (await _cli.RunWithInputAsync("another password\n", "users", "add", "manager", "--password-stdin")).ExitCode);
        var weak = await _cli.RunWithInputAsync("short\n", "users", "add", "other", "--password-stdin");
        Assert.Equal(1, weak.ExitCode);
        Assert.Contains("10 to 200 characters", weak.Err, StringComparison.Ordinal);
        Assert.Contains("manager", (await _cli.RunAsync("users", "list")).Out, StringComparison.Ordinal);
        Assert.Equal(0, (await _cli.RunWithInputAsync("a new long password\n", "users", "set-password", "manager", "--password-stdin")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("users", "remove", "manager")).ExitCode);
        Assert.Contains("No users yet", (await _cli.RunAsync("users", "list")).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("add", "not-a-number")]
    [InlineData("add", "12345")]
    [InlineData("remove", "abc")]
    [InlineData("disable", "+0")]
    public async Task ABadNumberIsRefusedWithAClearError(string verb, string phone)
    {
        var result = await _cli.RunAsync("operators", verb, phone);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("minicc: not a phone number", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddingTheSameOperatorTwiceIsRefused()
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678")).ExitCode);
        var again = await _cli.RunAsync("operators", "add", "090-1234-5678");
        Assert.Equal(1, again.ExitCode);
        Assert.Contains("+819012345678 is already an operator", again.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ChangingAnUnknownOperatorSaysSo()
    {
        var result = await _cli.RunAsync("operators", "remove", "+819099999999");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("is not an operator", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MigrateCreatesTheSchemaAndCanRunAgain()
    {
        var first = await _cli.RunAsync("migrate");
        Assert.Equal(0, first.ExitCode);
        Assert.Contains($"schema version {MiniCC.Storage.Migrator.Load("sqlite").Max(m => m.Version)} (up to date)", first.Out, StringComparison.Ordinal);
        Assert.True(File.Exists(_cli.DatabaseFile));
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678")).ExitCode);
        var second = await _cli.RunAsync("migrate");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("+819012345678", (await _cli.RunAsync("operators", "list")).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("serve", "--help")]
    [InlineData("operators", "--help")]
    [InlineData("operators", "add", "--help")]
    [InlineData("operators", "list", "--help")]
    [InlineData("operators", "remove", "--help")]
    [InlineData("operators", "disable", "--help")]
    [InlineData("operators", "enable", "--help")]
    [InlineData("operators", "set-pin", "--help")]
    [InlineData("operators", "unlock", "--help")]
    [InlineData("import-legacy", "--help")]
    [InlineData("users", "add", "--help")]
    [InlineData("users", "set-password", "--help")]
    [InlineData("migrate", "--help")]
    [InlineData("rollups", "--help")]
    [InlineData("rollups", "rebuild", "--help")]
    [InlineData("rollups", "status", "--help")]
    public async Task EveryVerbHasHelp(params string[] args)
    {
        var result = await _cli.RunAsync(args);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains("Usage:", result.Out, StringComparison.Ordinal);
        Assert.Contains("Description:", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mysql", "Server=127.0.0.1;Port=1;Database=minicc;User ID=minicc;Password=s3cret-pw")]
    [InlineData("postgres", "Host=127.0.0.1;Port=1;Database=minicc;Username=minicc;Password=s3cret-pw")]
    [InlineData("mysql", "Server=127.0.0.1;Bogus Key=1;Password=s3cret-pw")]
    [InlineData("postgres", "")]
    public async Task AnUnreachableOrMisconfiguredServerDatabaseIsNamedWithoutItsPassword(string provider, string connectionString)
    {
        _cli.Environment["Database__Provider"] = provider;
        _cli.Environment["ConnectionStrings__MiniCC"] = connectionString;
        var result = await _cli.RunAsync("migrate");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ConnectionStrings:MiniCC", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret-pw", result.Err + result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ADatabaseThatCannotBeWrittenIsNamed()
    {
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        var path = Path.Combine(_cli.WorkingDirectory, "readonly.db");
        File.Copy(_cli.DatabaseFile, path);
        _cli.Environment["ConnectionStrings__MiniCC"] = $"Data Source={path};Mode=ReadOnly";
        var result = await _cli.RunAsync("operators", "add", "+819012345678");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ConnectionStrings:MiniCC", result.Err, StringComparison.Ordinal);
        Assert.Contains("readonly", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }
}
