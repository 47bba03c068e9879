using System.Text.Json;

namespace MiniCC.Tests.Deploy;

/// <summary>
/// Where the real <c>minicc</c> process reads its settings and writes its data: a settings file named by <c>--config</c>
/// or <c>MINICC_CONFIG</c>, and a data directory (<c>MiniCC:DataDirectory</c>, or systemd's <c>STATE_DIRECTORY</c>)
/// for a relative SQLite file and spool.
/// </summary>
public sealed class SettingsFileAndDataDirectoryTests : IDisposable
{
    private readonly Minicc _cli = new();

    private readonly string _state = Directory.CreateTempSubdirectory("minicc-state-").FullName;

    public SettingsFileAndDataDirectoryTests() => _cli.Environment.Remove("ConnectionStrings__MiniCC");

    public void Dispose()
    {
        _cli.Dispose();
        Directory.Delete(_state, recursive: true);
    }

    /// <summary>A settings file in a directory of its own (as /etc/minicc/minicc.json), naming the database file <paramref name="dataSource"/>.</summary>
    private string SettingsFile(string dataSource)
    {
        var file = Path.Combine(Directory.CreateDirectory(Path.Combine(_cli.WorkingDirectory, "etc")).FullName, "minicc.json");
        File.WriteAllText(file, JsonSerializer.Serialize(new { ConnectionStrings = new { MiniCC = $"Data Source={dataSource}" } }));
        return file;
    }

    [Fact]
    public async Task AsAServiceTheDatabaseAndTheSpoolGoToTheStateDirectoryNotTheWorkingDirectory()
    {
        _cli.Environment["STATE_DIRECTORY"] = _state;
        var result = await _cli.ServeAsync();
        Assert.True(result.ExitCode == Minicc.Served, result.Err);
        Assert.True(File.Exists(Path.Combine(_state, "minicc.db")));
        Assert.True(Directory.Exists(Path.Combine(_state, "spool")));
        Assert.False(File.Exists(Path.Combine(_cli.WorkingDirectory, "minicc.db")));
    }

    [Fact]
    public async Task TheDataDirectorySettingWinsOverTheStateDirectory()
    {
        var data = Directory.CreateDirectory(Path.Combine(_cli.WorkingDirectory, "data")).FullName;
        _cli.Environment["STATE_DIRECTORY"] = _state;
        _cli.Environment["MiniCC__DataDirectory"] = data;
        var result = await _cli.RunProcessAsync("operators", "add", "090-1234-5678");
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.True(File.Exists(Path.Combine(data, "minicc.db")));
        Assert.False(File.Exists(Path.Combine(_state, "minicc.db")));
    }

    [Fact]
    public async Task ADataDirectoryThatDoesNotExistStopsMiniccWithAMessageNamingIt()
    {
        _cli.Environment["MiniCC__DataDirectory"] = Path.Combine(_state, "missing");
        var result = await _cli.RunProcessAsync("migrate");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MiniCC:DataDirectory", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ASettingsFileNamedByConfigOrMiniccConfigIsRead(bool option)
    {
        var file = SettingsFile("from-config.db");
        string[] args = option ? ["operators", "add", "090-1234-5678", "--config", file] : ["operators", "add", "090-1234-5678"];
        if (!option)
        {
            _cli.Environment["MINICC_CONFIG"] = file;
        }

        var result = await _cli.RunProcessAsync(args);
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.True(File.Exists(Path.Combine(_cli.WorkingDirectory, "from-config.db")));
    }

    [Fact]
    public async Task TheEnvironmentStillWinsOverTheSettingsFile()
    {
        _cli.Environment["ConnectionStrings__MiniCC"] = "Data Source=from-environment.db";
        var result = await _cli.RunProcessAsync("migrate", "--config", SettingsFile("from-config.db"));
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.True(File.Exists(Path.Combine(_cli.WorkingDirectory, "from-environment.db")));
        Assert.False(File.Exists(Path.Combine(_cli.WorkingDirectory, "from-config.db")));
    }

    [Fact]
    public async Task AMissingSettingsFileStopsTheServerWithAMessageNamingIt()
    {
        var result = await _cli.RunProcessAsync("serve", "--config", "/nonexistent/minicc.json", "--urls", "http://127.0.0.1:0");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--config", result.Err, StringComparison.Ordinal);
        Assert.Contains("/nonexistent/minicc.json", result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }
}
