using System.Net;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Cli;

/// <summary>
/// What only the real <c>minicc</c> process shows: the server it starts or refuses to start, its exit codes, its
/// working directory, what it prints at start. Each case starts <c>dotnet minicc.dll</c> (a second or more), so a
/// verb whose process is not the subject is tested in <see cref="CliTests"/> instead.
/// </summary>
public sealed class ExecutableTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task WithoutAConnectionStringTheDatabaseIsMiniccDbInTheWorkingDirectory()
    {
        _cli.Environment.Remove("ConnectionStrings__MiniCC");
        Assert.Equal(0, (await _cli.RunProcessAsync("migrate")).ExitCode);
        Assert.True(File.Exists(Path.Combine(_cli.WorkingDirectory, "minicc.db")));
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
        var result = await _cli.RunProcessAsync("serve", "--urls", "http://127.0.0.1:0");
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
        var result = await _cli.RunProcessAsync([.. args, "--urls", "http://127.0.0.1:0"]);
        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("minicc: ", result.Err, StringComparison.Ordinal);
        Assert.Contains(said, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InProductionTheServerRefusesToStartWithUnprotectedWebhooks()
    {
        _cli.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        _cli.Environment["DOTNET_ENVIRONMENT"] = "Production";
        var result = await _cli.RunProcessAsync("serve", "--urls", "http://127.0.0.1:0");
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
        Assert.Contains(_cli.DatabaseFile, all, StringComparison.Ordinal);
        Assert.Contains("The webhooks are NOT protected", all, StringComparison.Ordinal);

        using var http = new HttpClient();
        using var form = new FormUrlEncodedContent([KeyValuePair.Create("CallSid", NewCallSid()), KeyValuePair.Create("From", Customer)]);
        using var response = await http.PostAsync(new Uri($"http://127.0.0.1:{port}/voice/incoming"), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("<Gather", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
