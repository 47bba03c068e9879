using System.Globalization;
using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>
/// &lt;Record&gt;: the beep, the caller's message (speech, then silence), what ends it (a key of finishOnKey, the silence
/// timeout, maxLength, a hang-up), the action request and the recordingStatusCallback. Not emulated: transcription.
/// </summary>
public sealed partial class EmulatedCall
{
    /// <summary>What a caller hears for a &lt;Record playBeep="true"&gt;.</summary>
    public const string Beep = "(beep)";

    private const string DefaultFinishOnKey = "1234567890*#";

    private RecordState? _recording;

    /// <summary>
    /// The caller speaks for <paramref name="length"/> from now into the &lt;Record&gt; listening on this call: the silence
    /// timeout counts from the end of it. A scripted caller speaks their <see cref="CallerScript.Message"/>; a caller without
    /// a script speaks for <see cref="EmulatorOptions.RecordDuration"/>.
    /// </summary>
    internal void Speak(TimeSpan length)
    {
        if (_recording is { } r && !Ended)
        {
            r.SpeechEnds = _t.Now + length;
            ArmSilence(r);
        }
    }

    /// <summary>True while <paramref name="record"/> is recording this call.</summary>
    internal bool RecordsWith(XElement record) => !Ended && _recording?.Verb == record;

    private void RecordVerb(Frame f, XElement verb)
    {
        var beep = verb.Attribute("playBeep")?.Value != "false";
        if (beep)
        {
            _heard.Add(Beep);
            Line("heard", Beep);
        }

        // The beep is short; recording starts when it ends.
        _t.After(beep ? TimeSpan.FromSeconds(1) : TimeSpan.Zero, () =>
        {
            if (!Ended && !f.Cancelled)
            {
                StartRecording(f, verb);
            }

            return Task.CompletedTask;
        });
    }

    private void StartRecording(Frame f, XElement verb)
    {
        var r = new RecordState(verb, f, _t.NewSid("RE"), _t.Now)
        {
            SpeechEnds = _t.Now + (Script is null ? _t.Options.RecordDuration : TimeSpan.Zero),
        };
        _recording = r;
        Line("event", "recording " + r.Sid);
        RecordingCallback(r, "in-progress", duration: null);
        ArmSilence(r);
        Notify(new RecordingStarted(verb, r.Sid)); // a scripted caller starts speaking now
        // maxLength must be above 1 and defaults to an hour; anything else is read as the default.
        var max = Int(verb, "maxLength", 3600);
        _t.After(TimeSpan.FromSeconds(max > 1 ? max : 3600), async () =>
        {
            if (_recording == r && !Ended)
            {
                await FinishRecordingAsync(r, "");
            }
        });
    }

    /// <summary>Starts the silence timer from the end of the speech; a timeout of 0 records silence until maxLength.</summary>
    private void ArmSilence(RecordState r)
    {
        var timeout = Int(r.Verb, "timeout", 5);
        var timer = ++r.Timer;
        if (timeout <= 0)
        {
            return;
        }

        var at = (r.SpeechEnds > _t.Now ? r.SpeechEnds : _t.Now) + TimeSpan.FromSeconds(timeout);
        _t.At(at, async () =>
        {
            if (_recording == r && r.Timer == timer && !Ended)
            {
                await FinishRecordingAsync(r, "");
            }
        });
    }

    /// <summary>A key while recording: one of finishOnKey ends the recording, any other is recorded as sound.</summary>
    private async Task RecordKeyAsync(RecordState r, char key)
    {
        var finishOnKey = r.Verb.Attribute("finishOnKey")?.Value ?? DefaultFinishOnKey;
        if (finishOnKey.Contains(key, StringComparison.Ordinal))
        {
            await FinishRecordingAsync(r, key.ToString());
        }
    }

    /// <summary>
    /// The recording ends with <paramref name="digits"/> (the key, "hangup", or empty for the silence timeout and
    /// maxLength, where Twilio's docs name no value). Twilio trims silence by default (trim="trim-silence"), so the
    /// duration is the speech; "do-not-trim" keeps the trailing silence.
    /// An empty message: Twilio does not store a silent recording (warning 16102, "Recording was detected as silent and not
    /// stored") and its docs' example puts "I did not receive a recording" after &lt;Record&gt;: so nothing is said, the
    /// action is not requested and the call goes on with the verb after &lt;Record&gt;; the recordingStatusCallback, when
    /// it asks for the "absent" event, is told RecordingStatus=absent.
    /// </summary>
    private async Task FinishRecordingAsync(RecordState r, string digits)
    {
        _recording = null;
        var spoken = (r.SpeechEnds < _t.Now ? r.SpeechEnds : _t.Now) - r.Started;
        var verb = r.Verb;
        if (spoken <= TimeSpan.Zero)
        {
            Line("event", "nothing was said: no recording");
            Notify(new RecordingFinished(r.Sid, Stored: false, 0, digits));
            RecordingCallback(r, "absent", duration: 0);
            await RunAsync(r.Frame);
            return;
        }

        var kept = verb.Attribute("trim")?.Value == "do-not-trim" ? _t.Now - r.Started : spoken;
        var seconds = Math.Max(1, (int)Math.Round(kept.TotalSeconds, MidpointRounding.AwayFromZero));
        var url = _t.AddRecording(new EmulatedRecording(r.Sid, CallSid, seconds, r.Started));
        Line("event", $"recorded {seconds} s as {r.Sid}" + (digits.Length > 0 ? $" (ended by {digits})" : ""));
        Notify(new RecordingFinished(r.Sid, Stored: true, seconds, digits));
        r.Frame.Cancelled = true; // verbs after <Record> are unreachable once it has recorded
        // Twilio posts the recording's status once the file is ready: after the action request.
        RecordingCallback(r, "completed", seconds);
        var extra = new (string, string)[]
        {
            ("RecordingUrl", url), ("RecordingDuration", seconds.ToString(CultureInfo.InvariantCulture)), ("Digits", digits),
        };
        // Without an action, Twilio requests the current document again.
        await FetchAndRunAsync(verb.Attribute("action")?.Value ?? r.Frame.Url, r.Frame.Url, Method(verb, "method"), extra, Context.Main);
    }

    /// <summary>The recordingStatusCallback of <paramref name="status"/>, when the Record asks for that event (by default only completed).</summary>
    private void RecordingCallback(RecordState r, string status, int? duration) =>
        RecordingCallback(r.Verb, r.Sid, r.Started, r.Frame.Url, status, duration, channels: 1, source: "RecordVerb");

    /// <summary>
    /// The <c>recordingStatusCallback</c> of a <c>&lt;Record&gt;</c> or a recording <c>&lt;Dial&gt;</c> (<paramref name="verb"/>),
    /// when it asks for <paramref name="status"/> (by default only <c>completed</c>).
    /// </summary>
    private void RecordingCallback(XElement verb, string sid, DateTimeOffset started, string baseUrl, string status, int? duration, int channels, string source)
    {
        var events = (verb.Attribute("recordingStatusCallbackEvent")?.Value ?? "completed").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (verb.Attribute("recordingStatusCallback")?.Value is not { Length: > 0 } callback || !events.Contains(status))
        {
            return;
        }

        var parameters = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", _t.Options.AccountSid), new("CallSid", CallSid), new("RecordingSid", sid),
            new("RecordingUrl", _t.RecordingUrl(sid)), new("RecordingStatus", status),
        };
        if (duration is { } seconds)
        {
            parameters.Add(new("RecordingDuration", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        parameters.Add(new("RecordingChannels", channels.ToString(CultureInfo.InvariantCulture)));
        parameters.Add(new("RecordingSource", source));
        parameters.Add(new("RecordingStartTime", started.ToString("ddd, dd MMM yyyy HH:mm:ss +0000", CultureInfo.InvariantCulture)));
        _t.At(_t.Now, () => _t.FetchAsync(this, callback, baseUrl, Method(verb, "recordingStatusCallbackMethod"), parameters));
    }

    /// <summary>
    /// A <c>&lt;Dial record="record-from-answer[-dual]"&gt;</c> (or <c>-ringing</c>) that connected: Twilio records the
    /// conversation from the answer (the queue's pickup) to the end of the bridge, one channel per party when dual, and keeps
    /// it even when silent; its status callback says <c>completed</c> once the file is ready.
    /// </summary>
    internal void DialRecorded(XElement dial, string baseUrl, DateTimeOffset answeredAt, int seconds)
    {
        var mode = dial.Attribute("record")?.Value ?? "do-not-record";
        if (mode is "do-not-record" or "false")
        {
            return;
        }

        var sid = _t.NewSid("RE");
        _t.AddRecording(new EmulatedRecording(sid, CallSid, seconds, answeredAt));
        Line("event", $"recorded the conversation, {seconds} s, as {sid}");
        RecordingCallback(dial, sid, answeredAt, baseUrl, "completed", seconds, channels: mode.EndsWith("-dual", StringComparison.Ordinal) ? 2 : 1, source: "DialVerb");
    }

    private sealed class RecordState(XElement verb, Frame frame, string sid, DateTimeOffset started)
    {
        public XElement Verb { get; } = verb;
        public Frame Frame { get; } = frame;
        public string Sid { get; } = sid;
        public DateTimeOffset Started { get; } = started;
        public DateTimeOffset SpeechEnds { get; set; }
        public int Timer { get; set; }
    }
}
