using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MiniCC.Emulator;
using static MiniCC.Tests.Emulator.FakeApp;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Emulator;

/// <summary>The recordings' media, served on loopback at the RecordingUrl as api.twilio.com serves it.</summary>
public sealed class RecordingMediaTests
{
    private static async Task<(TwilioEmulator Twilio, string Url)> RecordedAsync(EmulatorOptions options, int seconds)
    {
        var (twilio, app) = EmulatorFor(a => a
            .Twiml("/voice/incoming", "<Record action=\"/recorded\" finishOnKey=\"#\" playBeep=\"false\"/>")
            .Twiml("/recorded", "<Hangup/>"), options);
        twilio.StartMediaServer();
        await twilio.DialAsync(Customer, new CallerScript { Message = TimeSpan.FromSeconds(seconds) });
        await twilio.AdvanceAsync(TimeSpan.FromMinutes(1));
        return (twilio, app.FormsTo("/recorded").Single()["RecordingUrl"]);
    }

    [Fact]
    public async Task TheRecordingUrlServesAPlayableWavAsLongAsTheMessageAnMp3AndNothingElse()
    {
        var (twilio, url) = await RecordedAsync(new EmulatorOptions(), 3);
        using var _ = twilio;
        Assert.StartsWith(twilio.MediaBaseUrl + "2010-04-01/Accounts/" + twilio.Options.AccountSid + "/Recordings/RE", url, StringComparison.Ordinal);
        Assert.StartsWith("http://127.0.0.1:", url, StringComparison.Ordinal);
        using var http = new HttpClient();

        foreach (var wavUrl in new[] { url, url + ".wav" })
        {
            using var wav = await http.GetAsync(new Uri(wavUrl));
            Assert.Equal(("audio/x-wav", HttpStatusCode.OK), (wav.Content.Headers.ContentType?.MediaType, wav.StatusCode));
            var bytes = await wav.Content.ReadAsByteArrayAsync();
            Assert.Equal(("RIFF", "WAVE", "data"), (Encoding.ASCII.GetString(bytes, 0, 4), Encoding.ASCII.GetString(bytes, 8, 4), Encoding.ASCII.GetString(bytes, 36, 4)));
            var (format, channels, rate, bits) = (BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(20)), BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22)),
                BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)), BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(34)));
            Assert.Equal((1, 1, 8000, 16), ((int)format, (int)channels, rate, (int)bits));
            var data = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40));
            Assert.Equal((3 * 8000 * 2, bytes.Length - 44), (data, data)); // three seconds of samples, all of them sent
            Assert.Contains(Enumerable.Range(0, 100), i => BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (2 * i))) > 1000); // a tone, not silence
        }

        using var mp3 = await http.GetAsync(new Uri(url + ".mp3"));
        var frames = await mp3.Content.ReadAsByteArrayAsync();
        Assert.Equal("audio/mpeg", mp3.Content.Headers.ContentType?.MediaType);
        Assert.Equal(((int)Math.Ceiling(3 * 44100 / 1152.0)) * 104, frames.Length);
        Assert.All(Enumerable.Range(0, frames.Length / 104), f => Assert.Equal([0xFF, 0xFB, 0x10, 0xC0], frames.AsSpan(f * 104, 4).ToArray()));

        using var json = await http.GetAsync(new Uri(url + ".json"));
        using var unknown = await http.GetAsync(new Uri(url[..^32] + new string('0', 32)));
        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (json.StatusCode, unknown.StatusCode));
        Assert.Equal([200, 200, 200, 404, 404], twilio.MediaRequests.Select(r => r.Status));
    }

    [Fact]
    public async Task EnforcedMediaAuthAsksForTheAccountSidAndAuthToken()
    {
        var (twilio, url) = await RecordedAsync(new EmulatorOptions { AuthToken = "secret-token", EnforceMediaAuth = true }, 2);
        using var _ = twilio;
        using var http = new HttpClient();
        using var anonymous = await http.GetAsync(new Uri(url));
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("Basic", anonymous.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, url);
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(twilio.Options.AccountSid + ":nope")));
        using var refused = await http.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, url + ".mp3");
        right.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(twilio.Options.AccountSid + ":secret-token")));
        using var served = await http.SendAsync(right);
        Assert.Equal((HttpStatusCode.OK, "audio/mpeg"), (served.StatusCode, served.Content.Headers.ContentType?.MediaType));
        Assert.Equal([false, true, true], twilio.MediaRequests.Select(r => r.WithCredentials));
    }

    [Fact]
    public async Task TheServerStopsWithTheEmulator()
    {
        var (twilio, url) = await RecordedAsync(new EmulatorOptions(), 1);
        twilio.Dispose();
        using var http = new HttpClient();
        await Assert.ThrowsAsync<HttpRequestException>(() => http.GetAsync(new Uri(url)));
    }
}
