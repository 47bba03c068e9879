namespace MiniCC.Tests.Queues;

/// <summary>MiniCC:Queues as it is configured, and refused at start, naming the key, when it does not read.</summary>
public sealed class QueueSettingsTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("MiniCC__Queues__1__Name", "Sales", "MiniCC:Queues:1:Name is 'Sales': a queue's name is 1 to 32 lower-case letters, digits and hyphens")]
    [InlineData("MiniCC__Queues__1__Name", "support", "MiniCC:Queues:1:Name 'support' names a queue twice.")]
    [InlineData("MiniCC__Queues__1__TwilioName", "support", "MiniCC:Queues:1:TwilioName 'support' is the Twilio queue of two queues.")]
    [InlineData("MiniCC__Queues__1__HoldMusicUrl", "music.mp3", "MiniCC:Queues:1:HoldMusicUrl must be empty or an absolute http(s) URL.")]
    [InlineData("MiniCC__Queues__1__Priority", "101", "MiniCC:Queues:1:Priority")]
    [InlineData("MiniCC__Queues__1__MaxWaitSeconds", "-1", "MiniCC:Queues:1:MaxWaitSeconds")]
    [InlineData("MiniCC__Queues__1__Announcement__0__Ja", "英語の窓口です。", "MiniCC:Queues:1:Announcement:0 must be a text in both languages")]
    [InlineData("MiniCC__Queues__1__ServiceLevelSeconds", "0", "MiniCC:Queues:1:ServiceLevelSeconds")]
    [InlineData("MiniCC__Queues__1__ServiceLevelTargetPercent", "100", "MiniCC:Queues:1:ServiceLevelTargetPercent must be above 0 and below 100.")]
    [InlineData("MiniCC__Queues__1__RecordingNotice", "true", "MiniCC:Queues:1:RecordingNotice is true but MiniCC:Queues:1:Record is not: callers would hear of a recording that is not made.")]
    // Keys inside a queue were never looked at: a misspelt one kept its default (Twilio's hold music) without a word.
    [InlineData("MiniCC__Queues__1__HoldMusicUrll", "https://example.com/hold.mp3", "MiniCC:Queues:1:HoldMusicUrll is not a setting; did you mean MiniCC:Queues:1:HoldMusicUrl?")]
    [InlineData("MiniCC__Queues__1__Announcement__0__Jp", "ようこそ", "MiniCC:Queues:1:Announcement:0:Jp is not a setting; did you mean MiniCC:Queues:1:Announcement:0:Ja?")]
    [InlineData("MiniCC__Queues__first__Name", "sales", "MiniCC:Queues:first is not an item of the list MiniCC:Queues: number its items from 0.")]
    public async Task AQueueSettingThatDoesNotReadStopsMiniCCNamingTheKey(string variable, string value, string message)
    {
        _cli.Environment["MiniCC__Queues__0__Name"] = "support";
        _cli.Environment["MiniCC__Queues__1__Name"] = "english";
        _cli.Environment[variable] = value;
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoQueuesThatReadStartMiniCC()
    {
        _cli.Environment["MiniCC__Queues__0__Name"] = "support";
        _cli.Environment["MiniCC__Queues__1__Name"] = "english";
        _cli.Environment["MiniCC__Queues__1__Priority"] = "5";
        _cli.Environment["MiniCC__Queues__1__HoldMusicUrl"] = "https://example.com/english.mp3";
        Assert.Equal(0, (await _cli.RunAsync("operators", "list")).ExitCode);
    }
}
