namespace MiniCC.Tests.Settings;

/// <summary>
/// Settings are checked at start, by the server (the real <c>minicc</c> executable) and by every verb (run in this
/// process, as <see cref="Minicc"/> does) alike: a bad one stops it with exit code 1 and one line, <c>minicc: …</c>,
/// that names the key; never a stack trace, never a value quietly replaced.
/// </summary>
public sealed class SettingsCheckTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    public static TheoryData<string[]> Verbs => new()
    {
        new[] { "serve" },
        new[] { "migrate" },
        new[] { "operators", "list" },
        new[] { "users", "list" },
        new[] { "report" },
    };

    [Theory]
    [MemberData(nameof(Verbs))]
    public async Task ANonNumericValueStopsTheServerAndEveryVerbWithOneLineNamingTheKey(string[] verb)
    {
        _cli.Environment["MiniCC__WriteTimeoutSeconds"] = "abc";
        var result = await RunAsync(verb);
        AssertRefused(result, "MiniCC:WriteTimeoutSeconds is 'abc'; it must be a number");
    }

    [Theory]
    [InlineData("MiniCC__WaitPauseSeconds", "three", "MiniCC:WaitPauseSeconds is 'three'; it must be a whole number.")]
    [InlineData("MiniCC__PinLockout__MaxFailures", "1e3", "MiniCC:PinLockout:MaxFailures is '1e3'; it must be a whole number.")]
    [InlineData("MiniCC__AllowUnsignedWebhooks", "yes", "MiniCC:AllowUnsignedWebhooks is 'yes'; it must be true or false.")]
    [InlineData("MiniCC__SignIn__QueuedVerifications", "1.5", "MiniCC:SignIn:QueuedVerifications is '1.5'; it must be a whole number.")]
    [InlineData("MiniCC__Reports__ServiceLevelTargetPercent", "80%", "MiniCC:Reports:ServiceLevelTargetPercent is '80%'; it must be a number")]
    [InlineData("MiniCC__SpoolReplaySeconds", "", "MiniCC:SpoolReplaySeconds is empty; give a number")]
    public async Task AValueOfTheWrongTypeIsNamedWhateverTheSetting(string variable, string value, string message)
    {
        _cli.Environment[variable] = value;
        AssertRefused(await _cli.RunAsync("operators", "list"), message);
        AssertRefused(await _cli.ServeAsync(), message);
    }

    [Theory]
    [InlineData("MiniCC__QueueNmae", "support", "MiniCC:QueueNmae is not a setting; did you mean MiniCC:QueueName?")]
    [InlineData("MiniCC__SignIn__PerClientPerMinit", "5", "MiniCC:SignIn:PerClientPerMinit is not a setting; did you mean MiniCC:SignIn:PerClientPerMinute?")]
    [InlineData("MiniCC__Prompts__Welcom", "Hello", "MiniCC:Prompts:Welcom is not a setting; did you mean MiniCC:Prompts:Welcome?")]
    [InlineData("MiniCC__TrustedProxies_0", "10.0.0.5", "MiniCC:TrustedProxies_0 is not a setting; did you mean MiniCC:TrustedProxies?")]
    [InlineData("MiniCC__Report__TimeZone", "UTC", "MiniCC:Report:TimeZone is not a setting; did you mean MiniCC:Reports:TimeZone?")]
    public async Task AMisspelledKeyStopsMiniCCNamingTheNearestSetting(string variable, string value, string message)
    {
        _cli.Environment[variable] = value;
        AssertRefused(await _cli.ServeAsync(), message);
        AssertRefused(await _cli.RunAsync("operators", "list"), message);
    }

    [Theory]
    // The binder ignored a single value given to a list: no proxy was trusted, without a word.
    [InlineData("MiniCC__TrustedProxies", "10.0.0.5", "MiniCC:TrustedProxies is a list, not one value: set MiniCC:TrustedProxies:0")]
    // NaN passed "<= 0 or >= 100", and Erlang C then staffed for no target at all.
    [InlineData("MiniCC__Reports__ServiceLevelTargetPercent", "NaN", "MiniCC:Reports:ServiceLevelTargetPercent is NaN; it must be above 0 and below 100.")]
    // A prompt of spaces was replaced by the built-in one.
    [InlineData("MiniCC__Prompts__Welcome", "   ", "MiniCC:Prompts:Welcome holds only spaces")]
    // A second placeholder failed on every wait, and every waiting caller heard the apology instead.
    [InlineData("MiniCC__Prompts__QueuePosition", "You are {0} of {1}", "MiniCC:Prompts:QueuePosition must contain {0}")]
    // A password without a user name turned Basic auth off.
    [InlineData("MiniCC__BasicAuth__Password", "secret-pw", "MiniCC:BasicAuth:Password is set but MiniCC:BasicAuth:Username is empty.")]
    // The routes were appended after the query: every URL in the TwiML was wrong.
    [InlineData("MiniCC__PublicBaseUrl", "https://cc.example.com/?x=1", "MiniCC:PublicBaseUrl must be empty or an absolute http(s) URL without a query")]
    public async Task AValueThatWasQuietlyIgnoredOrMisusedNowStopsTheServer(string variable, string value, string message)
    {
        _cli.Environment[variable] = value;
        var result = await _cli.ServeAsync();
        AssertRefused(result, message);
        Assert.DoesNotContain("secret-pw", result.Err + result.Out, StringComparison.Ordinal);
    }

    [Theory]
    // Checked by both before (VoiceOptions was the one section a verb read at once): the control.
    [InlineData("MiniCC__MenuTimeoutSeconds", "0", "MiniCC:MenuTimeoutSeconds is 0; it must be 1 to 60.")]
    // Every other section was checked by the server only; a verb ran with the bad value.
    [InlineData("MiniCC__SpoolReplaySeconds", "0.01", "MiniCC:SpoolReplaySeconds is 0.01; it must be 0.05 to 300.")]
    [InlineData("MiniCC__WriteTimeoutSeconds", "30", "MiniCC:WriteTimeoutSeconds is 30; it must be 0.1 to 10")]
    [InlineData("MiniCC__SignIn__PerClientPerMinute", "0", "MiniCC:SignIn:PerClientPerMinute is 0; it must be 1 to 10000.")]
    [InlineData("MiniCC__Reports__ServiceLevelSeconds", "0", "MiniCC:Reports:ServiceLevelSeconds is 0; it must be 1 to 3600.")]
    [InlineData("MiniCC__Reports__TimeZone", "Mars/Olympus", "MiniCC:Reports:TimeZone 'Mars/Olympus' is not a time zone")]
    [InlineData("MiniCC__Reports__AbandonRateTargetPercent", "120", "MiniCC:Reports:AbandonRateTargetPercent is 120; it must be 0 to 100.")]
    [InlineData("MiniCC__BasicAuth__Username", "twilio", "MiniCC:BasicAuth:Username is set but MiniCC:BasicAuth:Password is empty.")]
    // A key under a list of values was never looked at.
    [InlineData("MiniCC__TrustedProxies__0__Address", "10.0.0.5", "MiniCC:TrustedProxies:0 is one value; it has no Address.")]
    [InlineData("MiniCC__TrustedProxies__0", "proxy.local", "MiniCC:TrustedProxies:0 is 'proxy.local', which is not an IP address or a network")]
    // A network whose address has bits after its prefix is refused rather than guessed at.
    [InlineData("MiniCC__TrustedProxies__0", "10.89.0.1/16", "MiniCC:TrustedProxies:0 is '10.89.0.1/16', which is not an IP address or a network (such as 10.89.0.0/16, with no bits after the prefix).")]
    // Not checked at all before: every genuine webhook was refused.
    [InlineData("Twilio__AuthToken", " token-with-a-space", "Twilio:AuthToken begins or ends with a space")]
    public async Task TheCommandLineChecksTheSameSettingsAsTheServer(string variable, string value, string message)
    {
        _cli.Environment[variable] = value;
        var server = await _cli.ServeAsync();
        var verb = await _cli.RunAsync("operators", "list");
        Assert.True((server.ExitCode, verb.ExitCode) == (1, 1),
            $"the server exited with {server.ExitCode} ({server.Err.Trim()}), the verb with {verb.ExitCode} ({verb.Err.Trim()})");
        Assert.Equal(server.Err, verb.Err);
        Assert.Contains(message, verb.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("token-with-a-space", server.Err + server.Out + verb.Err + verb.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SeveralBadSettingsInSeveralSectionsAreAllNamedInOneLine()
    {
        _cli.Environment["MiniCC__MenuTimeoutSeconds"] = "0";
        _cli.Environment["MiniCC__SignIn__PerClientPerMinute"] = "0";
        _cli.Environment["MiniCC__Reports__ShortAbandonSeconds"] = "soon";
        _cli.Environment["MiniCC__QueueNmae"] = "support";
        var result = await _cli.ServeAsync();
        AssertRefused(result, "MiniCC:MenuTimeoutSeconds is 0");
        Assert.Contains("MiniCC:SignIn:PerClientPerMinute is 0", result.Err, StringComparison.Ordinal);
        Assert.Contains("MiniCC:Reports:ShortAbandonSeconds is 'soon'", result.Err, StringComparison.Ordinal);
        Assert.Contains("did you mean MiniCC:QueueName?", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GoodSettingsOfEveryKindLetTheServerAndTheVerbsRun()
    {
        _cli.Environment["MiniCC__TrustedProxies__0"] = "10.0.0.5";
        _cli.Environment["MiniCC__TrustedProxies__1"] = "::1";
        _cli.Environment["minicc__queuename"] = "support";
        _cli.Environment["MiniCC__SpoolReplaySeconds"] = "0.5";
        _cli.Environment["MiniCC__AllowUnsignedWebhooks"] = "True";
        _cli.Environment["MiniCC__Prompts__Welcome"] = "";
        _cli.Environment["MiniCC__Reports__ServiceLevelTargetPercent"] = "90.5";
        Assert.Equal(Minicc.Served, (await _cli.ServeAsync()).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("operators", "list")).ExitCode);
    }

    private Task<Minicc.Result> RunAsync(string[] verb) => verb is ["serve"] ? _cli.ServeAsync() : _cli.RunAsync(verb);

    private static void AssertRefused(Minicc.Result result, string message)
    {
        Assert.True(result.ExitCode == 1, $"exit code {result.ExitCode}; stderr: {result.Err}; stdout: {result.Out}");
        var line = Assert.Single(result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("minicc: invalid settings: ", line, StringComparison.Ordinal);
        Assert.Contains(message, line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Out, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", result.Out + result.Err, StringComparison.Ordinal);
    }
}
