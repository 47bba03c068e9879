using System.Collections.Concurrent;

namespace MiniCC.Emulator;

/// <summary>A recording a &lt;Record&gt; stored: whose call, how long, when it started, and where its media is.</summary>
public sealed record EmulatedRecording(string Sid, string CallSid, int DurationSeconds, DateTimeOffset StartedAt)
{
    /// <summary>The RecordingUrl Twilio gave (no extension: WAV; append .wav or .mp3 to choose).</summary>
    public string Url { get; internal set; } = "";
}

/// <summary>The recordings and the loopback server that serves their media, as api.twilio.com does.</summary>
public sealed partial class TwilioEmulator : IDisposable
{
    private readonly ConcurrentDictionary<string, EmulatedRecording> _recordings = new(StringComparer.Ordinal);
    private RecordingMedia? _media;

    /// <summary>Every stored recording, by RecordingSid (a silent one is never stored).</summary>
    public IReadOnlyDictionary<string, EmulatedRecording> Recordings => _recordings;

    /// <summary>Where recording media is served: the loopback server once started, else Twilio's own API host.</summary>
    public Uri MediaBaseUrl => _media?.BaseUrl ?? new Uri("https://api.twilio.com/");

    /// <summary>Every request the media server answered, in order.</summary>
    public IReadOnlyList<MediaRequest> MediaRequests => _media?.Requests ?? [];

    /// <summary>
    /// Starts a loopback HTTP server (127.0.0.1, a free port) that serves the recordings' media at the RecordingUrls given
    /// from now on: <c>/2010-04-01/Accounts/{AccountSid}/Recordings/{RecordingSid}</c> (WAV), <c>.wav</c>, <c>.mp3</c>. With
    /// <see cref="EmulatorOptions.EnforceMediaAuth"/> it asks for HTTP Basic AccountSid:AuthToken. Stops when the emulator is disposed.
    /// </summary>
    public Uri StartMediaServer()
    {
        if (Options.EnforceMediaAuth && Options.AuthToken is not { Length: > 0 })
        {
            throw new InvalidOperationException("EnforceMediaAuth needs EmulatorOptions.AuthToken: media is fetched with AccountSid:AuthToken.");
        }

        _media ??= RecordingMedia.Start(this);
        return _media.BaseUrl;
    }

    public void Dispose() => _media?.Dispose();

    /// <summary>A recording's URL as Twilio gives it (no extension).</summary>
    internal string RecordingUrl(string sid) => new Uri(MediaBaseUrl, $"2010-04-01/Accounts/{Options.AccountSid}/Recordings/{sid}").ToString();

    internal string AddRecording(EmulatedRecording recording)
    {
        recording.Url = RecordingUrl(recording.Sid);
        _recordings[recording.Sid] = recording;
        return recording.Url;
    }
}
