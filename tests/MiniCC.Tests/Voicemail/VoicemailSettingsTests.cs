using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MiniCC.Voicemail;

namespace MiniCC.Tests.Voicemail;

/// <summary>MiniCC:Voicemail, checked at start: a wrong value stops MiniCC with one line naming the key.</summary>
public sealed class VoicemailSettingsTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData("MiniCC__Voicemail__MaxLengthSeconds", "1", "MiniCC:Voicemail:MaxLengthSeconds is 1; it must be 2 to 14400 (Twilio's Record limits).")]
    [InlineData("MiniCC__Voicemail__MaxLengthSeconds", "14401", "MiniCC:Voicemail:MaxLengthSeconds is 14401; it must be 2 to 14400")]
    [InlineData("MiniCC__Voicemail__MaxWaitSeconds", "-1", "MiniCC:Voicemail:MaxWaitSeconds is -1; it must be 0 to 86400 (0 is off).")]
    [InlineData("MiniCC__Voicemail__Enabled", "sometimes", "MiniCC:Voicemail:Enabled is 'sometimes'; it must be true or false.")]
    [InlineData("MiniCC__Voicemail__MediaUrlPrefixes__0", "https://api.twilio.com", "MiniCC:Voicemail:MediaUrlPrefixes holds 'https://api.twilio.com'; each is an absolute http(s) URL ending in /")]
    [InlineData("MiniCC__Voicemail__MediaUrlPrefixes__0", "file:///etc/", "MiniCC:Voicemail:MediaUrlPrefixes holds 'file:///etc/'")]
    [InlineData("MiniCC__Voicemail__MediaUrlPrefixes__0", "https://user:pw@api.twilio.com/", "MiniCC:Voicemail:MediaUrlPrefixes holds 'https://user:pw@api.twilio.com/'")]
    [InlineData("MiniCC__Voicemail__MaxLenghtSeconds", "60", "MiniCC:Voicemail:MaxLenghtSeconds is not a setting; did you mean MiniCC:Voicemail:MaxLengthSeconds?")]
    public async Task AWrongValueStopsMiniCCNamingTheKey(string variable, string value, string message)
    {
        _cli.Environment[variable] = value;
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public void TheDefaultsAreOnTwoMinutesNoMaximumWaitAndTwiliosHostOnly()
    {
        using var app = new MiniCCFactory();
        var o = app.Services.GetRequiredService<IOptions<VoicemailOptions>>().Value;
        Assert.Equal((true, 120, 0), (o.Enabled, o.MaxLengthSeconds, o.MaxWaitSeconds));
        Assert.Equal([new Uri("https://api.twilio.com/")], o.MediaPrefixes);
        Assert.True(o.MayFetch(new Uri("https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1.mp3")));
        Assert.False(o.MayFetch(new Uri("https://api.twilio.com.evil.example/2010-04-01/RE1.mp3")));
        Assert.False(o.MayFetch(new Uri("http://api.twilio.com/2010-04-01/RE1.mp3")));
    }

    [Fact]
    public void ConfiguredPrefixesReplaceTheDefault()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Voicemail:MediaUrlPrefixes:0"] = "https://media.example.jp/rec/" });
        var o = app.Services.GetRequiredService<IOptions<VoicemailOptions>>().Value;
        Assert.Equal([new Uri("https://media.example.jp/rec/")], o.MediaPrefixes);
        Assert.False(o.MayFetch(new Uri("https://api.twilio.com/2010-04-01/RE1.mp3")));
        Assert.False(o.MayFetch(new Uri("https://media.example.jp/recordings/RE1.mp3")));
    }
}
