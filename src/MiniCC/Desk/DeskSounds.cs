using System.Buffers.Binary;
using System.Collections.Frozen;

namespace MiniCC.Desk;

/// <summary>
/// The sounds the Voice JavaScript SDK plays (ringing, the connect and hang-up tones, the keypad's DTMF), made here as
/// small WAV files. The SDK would otherwise fetch them from Twilio's CDN (sdk.twilio.com) as it starts: the desk loads
/// nothing from anywhere but MiniCC itself, and the npm package does not ship them.
/// </summary>
public static class DeskSounds
{
    private const int Rate = 8000;

    /// <summary>The SDK's sound names (<c>Device.SoundName</c>), each with its WAV file.</summary>
    public static FrozenDictionary<string, byte[]> All { get; } = Make().ToFrozenDictionary(StringComparer.Ordinal);

    private static IEnumerable<KeyValuePair<string, byte[]>> Make()
    {
        // The ring a Japanese phone hears (呼出音): 400 Hz swept by 16 Hz, one second on, two off; the SDK loops it.
        yield return new("incoming", Wav(Tone(1.0, t => Math.Sin(2 * Math.PI * 400 * t) * (0.5 + 0.5 * Math.Sin(2 * Math.PI * 16 * t))), Silence(2.0)));
        yield return new("outgoing", Wav(Tone(0.12, Sine(660)), Silence(0.05), Tone(0.12, Sine(880))));
        yield return new("disconnect", Wav(Tone(0.15, Sine(480)), Silence(0.05), Tone(0.2, Sine(320))));
        // DTMF: the row and column frequencies of each key (ITU-T Q.23).
        foreach (var (key, name) in new[] { ('0', "dtmf0"), ('1', "dtmf1"), ('2', "dtmf2"), ('3', "dtmf3"), ('4', "dtmf4"), ('5', "dtmf5"),
                     ('6', "dtmf6"), ('7', "dtmf7"), ('8', "dtmf8"), ('9', "dtmf9"), ('*', "dtmfs"), ('#', "dtmfh") })
        {
            var index = "123456789*0#".IndexOf(key, StringComparison.Ordinal);
            double low = new[] { 697.0, 770, 852, 941 }[index / 3], high = new[] { 1209.0, 1336, 1477 }[index % 3];
            yield return new(name, Wav(Tone(0.15, t => (Math.Sin(2 * Math.PI * low * t) + Math.Sin(2 * Math.PI * high * t)) / 2)));
        }
    }

    private static Func<double, double> Sine(double hz) => t => Math.Sin(2 * Math.PI * hz * t);

    /// <summary>A tone at a third of full scale, faded in and out over 5 ms so that it does not click.</summary>
    private static short[] Tone(double seconds, Func<double, double> wave)
    {
        var samples = new short[(int)(seconds * Rate)];
        const int fade = Rate / 200;
        for (var i = 0; i < samples.Length; i++)
        {
            var envelope = Math.Min(1.0, Math.Min(i, samples.Length - 1 - i) / (double)fade);
            samples[i] = (short)(wave(i / (double)Rate) * envelope * short.MaxValue / 3);
        }

        return samples;
    }

    private static short[] Silence(double seconds) => new short[(int)(seconds * Rate)];

    /// <summary>A RIFF/WAVE file: 16-bit mono PCM, which every browser decodes.</summary>
    private static byte[] Wav(params short[][] parts)
    {
        var samples = parts.SelectMany(p => p).ToArray();
        var data = samples.Length * 2;
        var wav = new byte[44 + data];
        var s = wav.AsSpan();
        "RIFF"u8.CopyTo(s);
        BinaryPrimitives.WriteInt32LittleEndian(s[4..], 36 + data);
        "WAVEfmt "u8.CopyTo(s[8..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[16..], 16); // the fmt chunk's size
        BinaryPrimitives.WriteInt16LittleEndian(s[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(s[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(s[24..], Rate);
        BinaryPrimitives.WriteInt32LittleEndian(s[28..], Rate * 2); // bytes per second
        BinaryPrimitives.WriteInt16LittleEndian(s[32..], 2); // bytes per sample
        BinaryPrimitives.WriteInt16LittleEndian(s[34..], 16); // bits per sample
        "data"u8.CopyTo(s[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(s[40..], data);
        for (var i = 0; i < samples.Length; i++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(s[(44 + 2 * i)..], samples[i]);
        }

        return wav;
    }
}
