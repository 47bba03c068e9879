using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace MiniCC.Tests.Cli;

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
        using (var db = new Microsoft.Data.Sqlite.SqliteConnection(_cli.Environment["ConnectionStrings__MiniCC"] + ";Pooling=False"))
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
        Assert.True(File.Exists(Path.Combine(_cli.WorkingDirectory, "cli.db")));
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678")).ExitCode);
        var second = await _cli.RunAsync("migrate");
        Assert.Equal(0, second.ExitCode);
        Assert.Contains("+819012345678", (await _cli.RunAsync("operators", "list")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task WithoutAConnectionStringTheDatabaseIsMiniccDbInTheWorkingDirectory()
    {
        _cli.Environment.Remove("ConnectionStrings__MiniCC");
        Assert.Equal(0, (await _cli.RunAsync("migrate")).ExitCode);
        Assert.True(File.Exists(Path.Combine(_cli.WorkingDirectory, "minicc.db")));
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
    [InlineData("MiniCC__Language", "fr-FR", "MiniCC:Language")]
    [InlineData("MiniCC__HoldMusicUrl", "not a url", "MiniCC:HoldMusicUrl")]
    [InlineData("MiniCC__MenuTimeoutSeconds", "0", "MiniCC:MenuTimeoutSeconds")]
    [InlineData("MiniCC__OperatorDialTimeoutSeconds", "601", "MiniCC:OperatorDialTimeoutSeconds")]
    [InlineData("MiniCC__PublicBaseUrl", "cc.example.com", "MiniCC:PublicBaseUrl")]
    [InlineData("MiniCC__Prompts__QueuePosition", "no placeholder", "MiniCC:Prompts:QueuePosition")]
    [InlineData("MiniCC__DefaultCountryCode", "+81", "MiniCC:DefaultCountryCode")]
    [InlineData("MiniCC__PinLockout__MaxFailures", "0", "MiniCC:PinLockout:MaxFailures")]
    [InlineData("MiniCC__PinLockout__WindowMinutes", "-5", "MiniCC:PinLockout:WindowMinutes")]
    [InlineData("MiniCC__PinLockout__LockMinutes", "20000", "MiniCC:PinLockout:LockMinutes")]
    [InlineData("MiniCC__SignIn__PerClientPerMinute", "0", "MiniCC:SignIn:PerClientPerMinute")]
    [InlineData("MiniCC__SignIn__PerUserPer15Minutes", "0", "MiniCC:SignIn:PerUserPer15Minutes")]
    [InlineData("MiniCC__SignIn__ConcurrentVerifications", "0", "MiniCC:SignIn:ConcurrentVerifications")]
    [InlineData("MiniCC__SignIn__QueuedVerifications", "-1", "MiniCC:SignIn:QueuedVerifications")]
    [InlineData("Database__Provider", "oracle", "Database:Provider")]
    [InlineData("ConnectionStrings__MiniCC", "Data Source=/nonexistent-dir/x/minicc.db", "ConnectionStrings:MiniCC")]
    public async Task ABadSettingStopsTheServerWithAMessageNamingIt(string variable, string value, string named)
    {
        _cli.Environment[variable] = value;
        var result = await _cli.RunAsync("serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(named, result.Err, StringComparison.Ordinal);
        Assert.StartsWith("minicc: ", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("unknown verb 'frobnicate'", "frobnicate")]
    [InlineData("unknown verb 'operator'; did you mean 'operators'?", "operator", "list")]
    [InlineData("unknown verb 'reprot'; did you mean 'report'?", "reprot")]
    [InlineData("unknown option '--urlz'; did you mean '--urls'?", "serve", "--urlz", "http://127.0.0.1:0")]
    [InlineData("unexpected argument 'now'", "serve", "now")]
    public async Task AMistypedVerbOrOptionIsRefusedWithASuggestionAndStartsNoServer(string said, params string[] args)
    {
        // With a port of its own: were the server started, the test would wait for it and fail, not take a port.
        var result = await _cli.RunAsync([.. args, "--urls", "http://127.0.0.1:0"]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("minicc: ", result.Err, StringComparison.Ordinal);
        Assert.Contains(said, result.Err, StringComparison.Ordinal);
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
        File.Copy(Path.Combine(_cli.WorkingDirectory, "cli.db"), path);
        _cli.Environment["ConnectionStrings__MiniCC"] = $"Data Source={path};Mode=ReadOnly";
        var result = await _cli.RunAsync("operators", "add", "+819012345678");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("ConnectionStrings:MiniCC", result.Err, StringComparison.Ordinal);
        Assert.Contains("readonly", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InProductionTheServerRefusesToStartWithUnprotectedWebhooks()
    {
        _cli.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _cli.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var result = await _cli.RunAsync("serve", "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("Twilio:AuthToken", result.Err, StringComparison.Ordinal);
        Assert.Contains("Twilio__AuthToken", result.Err, StringComparison.Ordinal);
        Assert.Contains("MiniCC:BasicAuth:Username", result.Err, StringComparison.Ordinal);
        Assert.Contains("MiniCC:AllowUnsignedWebhooks", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Twilio__AuthToken", "prod-token-should-never-be-printed")]
    [InlineData("MiniCC__AllowUnsignedWebhooks", "true")]
    public async Task InProductionAnAuthTokenOrTheExplicitSwitchLetsTheServerStart(string variable, string value)
    {
        _cli.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _cli.Environment["DOTNET_ENVIRONMENT"] = "Production";
        _cli.Environment[variable] = value;
        var (all, _) = await StartAndStopAsync();
        Assert.Contains("/voice/incoming", all, StringComparison.Ordinal);
        Assert.DoesNotContain("prod-token-should-never-be-printed", all, StringComparison.Ordinal);
    }

    /// <summary>Starts the server, waits for its start-up banner, and returns what it printed (the server is then stopped).</summary>
    private async Task<(string Output, int Port)> StartAndStopAsync()
    {
        var port = Minicc.FreePort();
        await using var server = await _cli.StartServerAsync(port);
        await BannerAsync(server);
        return (server.Output, port);
    }

    private static async Task BannerAsync(Minicc.Server server)
    {
        for (var i = 0; i < 100 && !server.Output.Contains("Call status changes", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task TheServerStartsPrintsTheTwilioUrlsAndAnswersTheVoiceUrl()
    {
        var port = Minicc.FreePort();
        await using var server = await _cli.StartServerAsync(port);
        await BannerAsync(server);

        var all = server.Output;
        Assert.Contains($"http://127.0.0.1:{port}/voice/incoming", all, StringComparison.Ordinal);
        Assert.Contains($"http://127.0.0.1:{port}/voice/status", all, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_cli.WorkingDirectory, "cli.db"), all, StringComparison.Ordinal);
        Assert.Contains("The webhooks are NOT protected", all, StringComparison.Ordinal);

        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent([KeyValuePair.Create("CallSid", "CA" + new string('a', 32)), KeyValuePair.Create("From", "+819011112222")]);
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/voice/incoming"), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Gather", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
