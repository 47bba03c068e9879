using System.Net;
using MiniCC.Tests.Pages;
using static MiniCC.Tests.Twilio;
using static MiniCC.Tests.Voicemail.Voicemails;

namespace MiniCC.Tests.Voicemail;

/// <summary>
/// The player's audio, streamed by MiniCC from a real HTTP server on 127.0.0.1 that requires HTTP Basic as Twilio does
/// when the account enforces auth on media: with and without the account's credentials, ranges, redirects, and URLs
/// that MiniCC must never request.
/// </summary>
public sealed class VoicemailAudioTests : IAsyncLifetime
{
    private MediaServer _media = null!;

    public async Task InitializeAsync() => _media = await MediaServer.StartAsync();

    public async Task DisposeAsync() => await _media.DisposeAsync();

    /// <summary>MiniCC allowed to fetch from the media server; with the account's SID (the auth token is every test app's) when <paramref name="credentials"/>.</summary>
    private MiniCCFactory App(bool credentials = true)
    {
        var settings = new Dictionary<string, string?>();
        for (var i = 0; i < _media.Prefixes.Length; i++)
        {
            settings[$"MiniCC:Voicemail:MediaUrlPrefixes:{i}"] = _media.Prefixes[i];
        }

        if (credentials)
        {
            settings["Twilio:AccountSid"] = MediaServer.AccountSid;
        }

        return new MiniCCFactory(settings);
    }

    private static async Task<HttpResponseMessage> GetAudioAsync(MiniCCFactory app, string call, string? range = null)
    {
        var browser = await PageClient.SignedInAsync(app);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/voicemails/{call}/audio");
        if (range is not null)
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        return await browser.SendAsync(request);
    }

    [Fact]
    public async Task WithTheAccountsCredentialsProtectedMediaPlaysAsMp3()
    {
        using var app = App();
        var recording = NewRecordingSid();
        var call = await app.LeaveAsync(_media.RecordingUrl(recording));
        using var response = await GetAudioAsync(app, call);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaServer.Audio, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(MediaServer.Audio.Length, response.Content.Headers.ContentLength);
        Assert.True(response.Headers.CacheControl is { Private: true, NoStore: true }, response.Headers.CacheControl?.ToString());
        var seen = Assert.Single(_media.Requests);
        Assert.Equal($"/2010-04-01/Accounts/{MediaServer.AccountSid}/Recordings/{recording}.mp3", seen.Path);
        Assert.Equal(MediaServer.Basic(MediaServer.AccountSid, MiniCCFactory.AuthToken), seen.Authorization);
    }

    [Fact]
    public async Task WithoutCredentialsProtectedMediaIsABadGatewayThatSaysWhatToSet()
    {
        using var app = App(credentials: false);
        var call = await app.LeaveAsync(_media.RecordingUrl(NewRecordingSid()));
        using var response = await GetAudioAsync(app, call);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("refused MiniCC (401): if the account enforces HTTP auth on media, set Twilio:AccountSid and Twilio:AuthToken",
            await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null(Assert.Single(_media.Requests).Authorization);
    }

    [Fact]
    public async Task WithoutCredentialsOpenMediaPlays()
    {
        _media.RequireAuth = false;
        using var app = App(credentials: false);
        var call = await app.LeaveAsync(_media.RecordingUrl(NewRecordingSid()));
        using var response = await GetAudioAsync(app, call);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaServer.Audio, await response.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task ASeekIsPassedOnAsARangeAndAnswered206()
    {
        using var app = App();
        var call = await app.LeaveAsync(_media.RecordingUrl(NewRecordingSid()));
        using var response = await GetAudioAsync(app, call, "bytes=100-199");

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(MediaServer.Audio[100..200], await response.Content.ReadAsByteArrayAsync());
        Assert.Equal($"bytes 100-199/{MediaServer.Audio.Length}", response.Content.Headers.ContentRange?.ToString());
        Assert.Equal("bytes=100-199", Assert.Single(_media.Requests).Range);
    }

    [Fact]
    public async Task ARangeThatIsNotASimpleOneIsNotPassedOn()
    {
        using var app = App();
        var call = await app.LeaveAsync(_media.RecordingUrl(NewRecordingSid()));
        using var response = await GetAudioAsync(app, call, "bytes=0-1,5-9");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Null(Assert.Single(_media.Requests).Range);
    }

    [Fact]
    public async Task ARedirectToAnotherHostIsFollowedWithoutTheCredentials()
    {
        using var app = App();
        var recording = NewRecordingSid();
        var call = await app.LeaveAsync($"{_media.BaseUrl}/moved/{recording}");
        using var response = await GetAudioAsync(app, call);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(MediaServer.Audio, await response.Content.ReadAsByteArrayAsync());
        var seen = _media.Requests.ToArray();
        Assert.Equal(2, seen.Length);
        Assert.Equal(("127.0.0.1", $"/moved/{recording}.mp3"), (seen[0].Host, seen[0].Path));
        Assert.NotNull(seen[0].Authorization);
        Assert.Equal(("localhost", $"/public/{recording}.mp3", (string?)null), (seen[1].Host, seen[1].Path, seen[1].Authorization));
    }

    [Fact]
    public async Task ARedirectOutsideThePrefixesIsNotFollowed()
    {
        using var app = App();
        var call = await app.LeaveAsync($"{_media.BaseUrl}/escape/{NewRecordingSid()}");
        using var response = await GetAudioAsync(app, call);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("redirected to a URL that is not under MiniCC:Voicemail:MediaUrlPrefixes", await response.Content.ReadAsStringAsync(),
            StringComparison.Ordinal);
        Assert.DoesNotContain(_media.Requests, r => r.Path.StartsWith("/internal/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task ARecordingUrlOutsideThePrefixesIsNeverRequested()
    {
        using var app = App();
        // Stored as Twilio said (a valid URL), but on a path of the host that no prefix allows, and on a host none names.
        var inside = await app.LeaveAsync($"{_media.BaseUrl}/internal/{NewRecordingSid()}");
        var elsewhere = await app.LeaveAsync(TwilioUrl(NewRecordingSid()));
        var dotted = await app.LeaveAsync($"{_media.BaseUrl}/2010-04-01/../internal/{NewRecordingSid()}");
        foreach (var call in new[] { inside, elsewhere, dotted })
        {
            using var response = await GetAudioAsync(app, call);
            Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
            Assert.Contains("not under MiniCC:Voicemail:MediaUrlPrefixes, so MiniCC does not fetch it", await response.Content.ReadAsStringAsync(),
                StringComparison.Ordinal);
        }

        Assert.Empty(_media.Requests);
    }

    [Fact]
    public async Task ByDefaultOnlyTwiliosHostIsAllowed()
    {
        using var app = new MiniCCFactory();
        var call = await app.LeaveAsync(_media.RecordingUrl(NewRecordingSid()));
        using var response = await GetAudioAsync(app, call);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Empty(_media.Requests);
    }

    [Fact]
    public async Task ARecordingTheHostNoLongerHasIsNotFoundAndSoIsOneThatNeverWas()
    {
        using var app = App();
        // The media server has recordings of its own account only: another's answers 404, as a deleted recording's URL does.
        var deleted = await app.LeaveAsync($"{_media.BaseUrl}/2010-04-01/Accounts/AC{new string('f', 32)}/Recordings/{NewRecordingSid()}");
        var silent = NewCallSid();
        await app.TwimlAsync("/voice/voicemail?reason=closed", Prompt(silent));
        foreach (var (call, words) in new[] { (deleted, "no longer where Twilio said"), (silent, "再生できる録音はありません"), (NewCallSid(), "再生できる録音はありません"),
                     ("not-a-call-sid", "再生できる録音はありません") })
        {
            using var response = await GetAudioAsync(app, call);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Contains(words, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AHostThatDoesNotAnswerIsABadGateway()
    {
        using var app = App();
        var call = await app.LeaveAsync(_media.RecordingUrl(NewRecordingSid()));
        await _media.DisposeAsync();
        using var response = await GetAudioAsync(app, call);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains("The recording could not be fetched", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        _media = await MediaServer.StartAsync();
    }
}
