using System.Buffers.Binary;

namespace MiniCC.Emulator;

/// <summary>
/// Real, playable audio for a recording, made in code: a WAV as Twilio records calls (8 kHz, 16-bit, mono) holding a
/// soft tone as long as the message, and an MP3 of silent frames as long. Capped at <see cref="MaxSeconds"/> so a long
/// message does not make a large file: the player only needs something that plays.
/// </summary>
public static class RecordingAudio
{
    public const int MaxSeconds = 30;
    public const int SampleRate = 8000;

    // MPEG-1 Layer III, 32 kbit/s, 44.1 kHz, mono, no CRC: 1152 samples in 144 * 32000 / 44100 = 104 bytes.
    private const int Mp3FrameBytes = 104;
    private const int Mp3FrameSamples = 1152;
    private const int Mp3SampleRate = 44100;
    private static readonly byte[] Mp3Header = [0xFF, 0xFB, 0x10, 0xC0];

    /// <summary>A RIFF/WAVE PCM file of a 440 Hz tone lasting <paramref name="seconds"/> (capped).</summary>
    public static byte[] Wav(int seconds)
    {
        var samples = Math.Clamp(seconds, 0, MaxSeconds) * SampleRate;
        var data = samples * 2;
        var wav = new byte[44 + data];
        var span = wav.AsSpan();
        "RIFF"u8.CopyTo(span);
        BinaryPrimitives.WriteInt32LittleEndian(span[4..], 36 + data);
        "WAVE"u8.CopyTo(span[8..]);
        "fmt "u8.CopyTo(span[12..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[16..], 16); // PCM format chunk size
        BinaryPrimitives.WriteInt16LittleEndian(span[20..], 1); // PCM
        BinaryPrimitives.WriteInt16LittleEndian(span[22..], 1); // mono
        BinaryPrimitives.WriteInt32LittleEndian(span[24..], SampleRate);
        BinaryPrimitives.WriteInt32LittleEndian(span[28..], SampleRate * 2); // bytes per second
        BinaryPrimitives.WriteInt16LittleEndian(span[32..], 2); // block align
        BinaryPrimitives.WriteInt16LittleEndian(span[34..], 16); // bits per sample
        "data"u8.CopyTo(span[36..]);
        BinaryPrimitives.WriteInt32LittleEndian(span[40..], data);
        for (var i = 0; i < samples; i++)
        {
            var value = (short)(0.2 * short.MaxValue * Math.Sin(2 * Math.PI * 440 * i / SampleRate));
            BinaryPrimitives.WriteInt16LittleEndian(span[(44 + (2 * i))..], value);
        }

        return wav;
    }

    /// <summary>
    /// An MP3 of silent frames lasting <paramref name="seconds"/> (capped): each frame is a header and zeroed side
    /// information and main data, which a decoder plays as silence.
    /// </summary>
    public static byte[] Mp3(int seconds)
    {
        var frames = (int)Math.Ceiling(Math.Clamp(seconds, 0, MaxSeconds) * (double)Mp3SampleRate / Mp3FrameSamples);
        var mp3 = new byte[frames * Mp3FrameBytes];
        for (var f = 0; f < frames; f++)
        {
            Mp3Header.CopyTo(mp3, f * Mp3FrameBytes);
        }

        return mp3;
    }
}
