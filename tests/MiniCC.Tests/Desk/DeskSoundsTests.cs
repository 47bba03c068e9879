using System.Buffers.Binary;
using System.Net;

namespace MiniCC.Tests.Desk;

/// <summary>The sounds the Voice SDK plays, made by MiniCC: WAV files a browser decodes, each the tone it is named for.</summary>
public sealed class DeskSoundsTests : IDisposable
{
    private readonly MiniCCFactory _app = new(DeskSettings.On());

    public void Dispose() => _app.Dispose();

    private static readonly string[] Names =
        ["incoming", "outgoing", "disconnect", "dtmf0", "dtmf1", "dtmf2", "dtmf3", "dtmf4", "dtmf5", "dtmf6", "dtmf7", "dtmf8", "dtmf9", "dtmfs", "dtmfh"];

    /// <summary>The samples of a 16-bit mono PCM WAV file at 8 kHz, checking its header.</summary>
    private static short[] Samples(byte[] wav)
    {
        var s = wav.AsSpan();
        Assert.Equal("RIFF", System.Text.Encoding.ASCII.GetString(wav, 0, 4));
        Assert.Equal(wav.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(s[4..]));
        Assert.Equal("WAVEfmt ", System.Text.Encoding.ASCII.GetString(wav, 8, 8));
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(s[20..])); // PCM
        Assert.Equal(1, BinaryPrimitives.ReadInt16LittleEndian(s[22..])); // mono
        Assert.Equal(8000, BinaryPrimitives.ReadInt32LittleEndian(s[24..]));
        Assert.Equal(16, BinaryPrimitives.ReadInt16LittleEndian(s[34..]));
        Assert.Equal("data", System.Text.Encoding.ASCII.GetString(wav, 36, 4));
        Assert.Equal(wav.Length - 44, BinaryPrimitives.ReadInt32LittleEndian(s[40..]));
        return [.. Enumerable.Range(0, (wav.Length - 44) / 2).Select(i => BinaryPrimitives.ReadInt16LittleEndian(wav.AsSpan(44 + 2 * i)))];
    }

    /// <summary>The power of one frequency in the samples (Goertzel), relative to their total power.</summary>
    private static double Share(short[] samples, double hz)
    {
        var coefficient = 2 * Math.Cos(2 * Math.PI * hz / 8000);
        double s1 = 0, s2 = 0;
        foreach (var x in samples)
        {
            var s0 = x + coefficient * s1 - s2;
            (s2, s1) = (s1, s0);
        }

        var power = s1 * s1 + s2 * s2 - coefficient * s1 * s2;
        return power / (samples.Sum(x => (double)x * x) * samples.Length / 2);
    }

    private static async Task<byte[]> SoundAsync(HttpClient browser, string name)
    {
        using var response = await browser.GetAsync(new Uri($"/desk/sounds/{name}.wav", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("audio/wav", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("max-age", response.Headers.CacheControl?.ToString(), StringComparison.Ordinal);
        return await response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task EverySoundTheSdkPlaysIsAWavFileOfItsTone()
    {
        using var browser = await SignInForm.SignedInBrowserAsync(_app);
        foreach (var name in Names)
        {
            Assert.NotEmpty(Samples(await SoundAsync(browser, name)));
        }

        // Each key's two frequencies (ITU-T Q.23) carry the tone; a neighbour's do not.
        foreach (var (name, low, high, other) in new[] { ("dtmf5", 770, 1336, 697), ("dtmf0", 941, 1336, 852), ("dtmfs", 941, 1209, 1477), ("dtmfh", 941, 1477, 1209) })
        {
            var samples = Samples(await SoundAsync(browser, name));
            Assert.True(Share(samples, low) > 0.3, $"{name}: {low} Hz");
            Assert.True(Share(samples, high) > 0.3, $"{name}: {high} Hz");
            Assert.True(Share(samples, other) < 0.01, $"{name}: {other} Hz");
        }

        // The ring: one second of tone around 400 Hz, then two of silence, looped by the SDK.
        var ring = Samples(await SoundAsync(browser, "incoming"));
        Assert.Equal(3 * 8000, ring.Length);
        Assert.True(Share(ring[..8000], 400) > 0.3);
        Assert.All(ring[8000..], x => Assert.Equal(0, x));
    }

    [Fact]
    public async Task AnUnknownSoundOrADeskThatIsOffHasNone()
    {
        using var browser = await SignInForm.SignedInBrowserAsync(_app);
        using (var unknown = await browser.GetAsync(new Uri("/desk/sounds/ringback.wav", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        }

        using var off = new MiniCCFactory();
        using var offBrowser = await SignInForm.SignedInBrowserAsync(off);
        using var response = await offBrowser.GetAsync(new Uri("/desk/sounds/incoming.wav", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
