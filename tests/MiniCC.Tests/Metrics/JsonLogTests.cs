using System.Text.Json;

namespace MiniCC.Tests.Metrics;

/// <summary>The real <c>minicc</c> process logs one JSON object per line with ASP.NET's standard setting, for log shippers.</summary>
public sealed class JsonLogTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task WithTheJsonConsoleFormatterEveryLineIsAJsonObjectAndTheBannerIsOne()
    {
        _cli.Environment["Logging__Console__FormatterName"] = "json";
        await using var server = await _cli.StartServerAsync(Minicc.FreePort());
        for (var i = 0; i < 100 && !server.Output.Contains("/voice/status", StringComparison.Ordinal); i++)
        {
            await Task.Delay(100);
        }

        var lines = server.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        var entries = lines.Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
        var banner = Assert.Single(entries, e => e.GetProperty("Category").GetString() == "MiniCC"
            && e.GetProperty("Message").GetString()!.Contains("/voice/incoming", StringComparison.Ordinal));
        Assert.Equal("Information", banner.GetProperty("LogLevel").GetString());
        Assert.True(banner.GetProperty("State").TryGetProperty("VoiceUrl", out var url), banner.ToString());
        Assert.EndsWith("/voice/incoming", url.GetString(), StringComparison.Ordinal);
    }
}
