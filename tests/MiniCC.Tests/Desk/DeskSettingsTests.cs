namespace MiniCC.Tests.Desk;

/// <summary>The desk starts only whole: each Twilio key it needs is named when missing; users become operators from the CLI.</summary>
public sealed class DeskSettingsTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("Twilio__AccountSid", "Twilio:AccountSid is not set")]
    [InlineData("Twilio__ApiKeySid", "Twilio:ApiKeySid is not set")]
    [InlineData("Twilio__ApiKeySecret", "Twilio:ApiKeySecret is not set")]
    [InlineData("Twilio__TwimlAppSid", "Twilio:TwimlAppSid is not set")]
    public async Task TheDeskOnWithoutATwilioKeyStopsMiniCCNamingIt(string missing, string message)
    {
        _cli.Environment["MiniCC__Desk__Enabled"] = "true";
        _cli.Environment["Twilio__AccountSid"] = "AC0123456789abcdef0123456789abcdef";
        _cli.Environment["Twilio__ApiKeySid"] = "SK0123456789abcdef0123456789abcdef";
        _cli.Environment["Twilio__ApiKeySecret"] = "secret";
        _cli.Environment["Twilio__TwimlAppSid"] = "AP0123456789abcdef0123456789abcdef";
        _cli.Environment.Remove(missing);
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Twilio__ApiKeySid", "AC0123456789abcdef0123456789abcdef", "Twilio:ApiKeySid is SK followed by 32 hex digits")]
    [InlineData("MiniCC__Desk__TokenTtlMinutes", "1441", "MiniCC:Desk:TokenTtlMinutes")]
    public async Task AMalformedDeskSettingIsNamed(string variable, string value, string message)
    {
        _cli.Environment[variable] = value;
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserBecomesAnOperatorByPhoneOrNameAndStopsBeingOne()
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "090-3333-4444", "--name", "Sato")).ExitCode);
        var added = await _cli.RunWithInputAsync("a long enough password\n", "users", "add", "sato", "--password-stdin", "--operator", "Sato");
        Assert.Equal(0, added.ExitCode);
        Assert.Contains("operator +819033334444", added.Out, StringComparison.Ordinal);
        Assert.Contains("sato  operator +819033334444", (await _cli.RunAsync("users", "list")).Out, StringComparison.Ordinal);

        Assert.Equal(0, (await _cli.RunWithInputAsync("another long password\n", "users", "add", "boss", "--password-stdin")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("users", "link", "boss", "--operator", "+81 90 3333 4444")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync("users", "link", "sato", "--none")).ExitCode);
        var list = (await _cli.RunAsync("users", "list")).Out;
        Assert.Contains("boss  operator +819033334444", list, StringComparison.Ordinal);
        Assert.DoesNotContain("sato  operator", list, StringComparison.Ordinal);

        var unknown = await _cli.RunAsync("users", "link", "boss", "--operator", "Suzuki");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no operator 'Suzuki'", unknown.Err, StringComparison.Ordinal);
        Assert.Equal(1, (await _cli.RunAsync("users", "link", "boss")).ExitCode);

        // Removing the operator leaves the user, who is no operator any more.
        Assert.Equal(0, (await _cli.RunAsync("operators", "remove", "+819033334444")).ExitCode);
        Assert.DoesNotContain("operator +819033334444", (await _cli.RunAsync("users", "list")).Out, StringComparison.Ordinal);
        using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={_cli.DatabaseFile}");
        db.Open();
        using var linked = db.CreateCommand();
        linked.CommandText = "SELECT COUNT(*) FROM users WHERE operator_id IS NOT NULL";
        Assert.Equal(0L, (long)linked.ExecuteScalar()!);
    }
}
