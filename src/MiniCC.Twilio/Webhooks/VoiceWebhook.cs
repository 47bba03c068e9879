using System.Globalization;

namespace MiniCC.Twilio.Webhooks;

/// <summary>
/// The parameters of one Programmable Voice webhook request, parsed strictly.
/// Unknown parameters are kept in <see cref="All"/> and otherwise ignored; a known optional parameter
/// whose value is malformed is treated as absent and named in <see cref="Ignored"/>.
/// </summary>
public sealed record VoiceWebhook
{
    /// <summary>The longest value kept for any parameter; longer values make the request invalid.</summary>
    public const int MaxValueLength = 2048;

    /// <summary>This call leg's SID (<c>CA</c> + 32 hex). Always present.</summary>
    public required string CallSid { get; init; }

    /// <summary>The account (<c>AC</c> + 32 hex), when valid.</summary>
    public string? AccountSid { get; init; }

    /// <summary>The caller: E.164, <c>client:identity</c>, or a withheld marker such as <c>anonymous</c>.</summary>
    public string? From { get; init; }

    /// <summary>The called party.</summary>
    public string? To { get; init; }

    /// <summary>The call's status, e.g. <c>ringing</c>, <c>in-progress</c>, <c>completed</c>.</summary>
    public string? CallStatus { get; init; }

    /// <summary>The API version, e.g. <c>2010-04-01</c>.</summary>
    public string? ApiVersion { get; init; }

    /// <summary><c>inbound</c>, <c>outbound-api</c> or <c>outbound-dial</c>.</summary>
    public string? Direction { get; init; }

    /// <summary>Forwarding information, when the carrier supplies it.</summary>
    public string? ForwardedFrom { get; init; }

    /// <summary>The caller's name (CNAM), when looked up.</summary>
    public string? CallerName { get; init; }

    /// <summary>The parent leg of a child call.</summary>
    public string? ParentCallSid { get; init; }

    /// <summary>Keys entered in a <c>&lt;Gather&gt;</c> (only <c>0-9 * #</c>), or null.</summary>
    public string? Digits { get; init; }

    /// <summary>What the caller said in a <c>&lt;Gather input="speech"&gt;</c>, as Twilio transcribed it, or null.</summary>
    public string? SpeechResult { get; init; }

    /// <summary>How sure the recognition is of <see cref="SpeechResult"/>, 0.0–1.0; Twilio may leave it out.</summary>
    public double? Confidence { get; init; }

    /// <summary>1-based place in the queue (waitUrl requests).</summary>
    public int? QueuePosition { get; init; }

    /// <summary>The queue's SID (<c>QU</c> + 32 hex).</summary>
    public string? QueueSid { get; init; }

    /// <summary>Seconds the caller has been (or was) in the queue.</summary>
    public int? QueueTime { get; init; }

    /// <summary>Average wait of the callers in the queue, seconds.</summary>
    public int? AvgQueueTime { get; init; }

    /// <summary>Callers in the queue now.</summary>
    public int? CurrentQueueSize { get; init; }

    /// <summary>The queue's maximum size.</summary>
    public int? MaxQueueSize { get; init; }

    /// <summary>Why the caller left the queue: <c>bridged</c>, <c>hangup</c>, <c>leave</c>, …</summary>
    public string? QueueResult { get; init; }

    /// <summary>The call that dequeued this caller (the operator's leg).</summary>
    public string? DequeingCallSid { get; init; }

    /// <summary>Seconds of the finished call (status callbacks).</summary>
    public int? CallDuration { get; init; }

    /// <summary>Recording URL, when the call was recorded.</summary>
    public string? RecordingUrl { get; init; }

    /// <summary>Recording SID, when the call was recorded.</summary>
    public string? RecordingSid { get; init; }

    /// <summary>Recording length in seconds.</summary>
    public int? RecordingDuration { get; init; }

    /// <summary>A recording's state in its status callback: <c>in-progress</c>, <c>completed</c>, <c>failed</c> or <c>absent</c>.</summary>
    public string? RecordingStatus { get; init; }

    /// <summary>A recording's channels: 2 for a dual-channel Dial recording (one per party), else 1.</summary>
    public int? RecordingChannels { get; init; }

    /// <summary>Outcome of a <c>&lt;Dial&gt;</c> (its action request).</summary>
    public string? DialCallStatus { get; init; }

    /// <summary>The call a <c>&lt;Dial&gt;</c> connected to (its action request), when one was placed.</summary>
    public string? DialCallSid { get; init; }

    /// <summary>Seconds the call a <c>&lt;Dial&gt;</c> placed lasted (its action request).</summary>
    public int? DialCallDuration { get; init; }

    /// <summary>Order of status-callback events for this call, from 0.</summary>
    public int? SequenceNumber { get; init; }

    /// <summary>Every parameter received (first value of each), including unknown ones.</summary>
    public required IReadOnlyDictionary<string, string> All { get; init; }

    /// <summary>
    /// The delivery's <c>I-Twilio-Idempotency-Token</c> header, which is not a parameter: a retry of the same webhook
    /// carries the same token. Null when absent.
    /// </summary>
    public string? IdempotencyToken { get; init; }

    /// <summary>Known parameters that were present but malformed, and so treated as absent.</summary>
    public IReadOnlyList<string> Ignored { get; init; } = [];

    /// <summary>
    /// Parses a webhook's parameters (form fields for POST, query for GET).
    /// Fails when <c>CallSid</c> is missing or malformed, a known parameter is repeated, or a value is too long.
    /// Names are compared ordinally, as Twilio signs them: a known parameter is recognised only as Twilio spells it
    /// (<c>callsid</c> is an unknown parameter, not <c>CallSid</c>), and <c>Foo</c> and <c>foo</c> are two parameters.
    /// Pass the fields grouped by exact name, never through a case-insensitive collection such as ASP.NET's form.
    /// </summary>
    public static WebhookParseResult Parse(IEnumerable<KeyValuePair<string, IReadOnlyList<string?>>> fields)
    {
        ArgumentNullException.ThrowIfNull(fields);
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, values) in fields)
        {
            var known = KnownNames.Contains(key);
            if (values.Count > 1 && known)
            {
                return WebhookParseResult.Fail($"Parameter '{key}' appears more than once.");
            }

            var value = values.Count > 0 ? values[0] ?? "" : "";
            if (value.Length > MaxValueLength || key.Length > 256)
            {
                return WebhookParseResult.Fail($"Parameter '{Truncate(key)}' is longer than {MaxValueLength} characters.");
            }

            all[key] = value;
        }

        if (!all.TryGetValue("CallSid", out var callSid) || callSid.Length == 0)
        {
            return WebhookParseResult.Fail("CallSid is missing.");
        }

        if (!Sid.IsValid(callSid, "CA"))
        {
            return WebhookParseResult.Fail("CallSid is not a Twilio call SID (CA followed by 32 hex digits).");
        }

        var ignored = new List<string>();
        string? Text(string name, int max = 255)
        {
            if (!all.TryGetValue(name, out var v) || v.Length == 0)
            {
                return null;
            }

            // Longer than Twilio ever sends, or with control characters no database column takes (NUL): not Twilio's.
            if (v.Length > max || v.AsSpan().ContainsAnyInRange('\0', '\u001f'))
            {
                ignored.Add(name);
                return null;
            }

            return v;
        }

        string? SidOf(string name, string prefix)
        {
            var v = Text(name, 34);
            if (v is null)
            {
                return null;
            }

            if (Sid.IsValid(v, prefix))
            {
                return v;
            }

            ignored.Add(name);
            return null;
        }

        int? Number(string name)
        {
            var v = Text(name, 10);
            if (v is null)
            {
                return null;
            }

            if (v.Length <= 9 && v.All(char.IsAsciiDigit))
            {
                return int.Parse(v, NumberStyles.None, CultureInfo.InvariantCulture);
            }

            ignored.Add(name);
            return null;
        }

        string? Word(string name, int max = 32)
        {
            var v = Text(name, max);
            if (v is null)
            {
                return null;
            }

            if (v.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                return v;
            }

            ignored.Add(name);
            return null;
        }

        string? digits = null;
        if (all.TryGetValue("Digits", out var rawDigits))
        {
            if (rawDigits.Length <= 64 && rawDigits.All(c => char.IsAsciiDigit(c) || c is '*' or '#'))
            {
                digits = rawDigits;
            }
            else
            {
                ignored.Add("Digits");
            }
        }

        double? confidence = null;
        if (Text("Confidence", 20) is { } rawConfidence)
        {
            if (double.TryParse(rawConfidence, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var c) && c is >= 0 and <= 1)
            {
                confidence = c;
            }
            else
            {
                ignored.Add("Confidence");
            }
        }

        var hook = new VoiceWebhook
        {
            CallSid = callSid,
            AccountSid = SidOf("AccountSid", "AC"),
            From = Text("From"),
            To = Text("To"),
            CallStatus = Word("CallStatus", 20),
            ApiVersion = Word("ApiVersion", 20),
            Direction = Word("Direction", 20),
            ForwardedFrom = Text("ForwardedFrom"),
            SpeechResult = Text("SpeechResult", 1000),
            Confidence = confidence,
            CallerName = Text("CallerName"),
            ParentCallSid = SidOf("ParentCallSid", "CA"),
            Digits = digits,
            QueuePosition = Number("QueuePosition"),
            QueueSid = SidOf("QueueSid", "QU"),
            QueueTime = Number("QueueTime"),
            AvgQueueTime = Number("AvgQueueTime"),
            CurrentQueueSize = Number("CurrentQueueSize"),
            MaxQueueSize = Number("MaxQueueSize"),
            QueueResult = Word("QueueResult"),
            DequeingCallSid = SidOf("DequeingCallSid", "CA"),
            CallDuration = Number("CallDuration"),
            RecordingUrl = Text("RecordingUrl", 1024),
            RecordingSid = SidOf("RecordingSid", "RE"),
            RecordingDuration = Number("RecordingDuration"),
            RecordingStatus = Word("RecordingStatus", 20),
            RecordingChannels = Number("RecordingChannels"),
            DialCallStatus = Word("DialCallStatus"),
            DialCallSid = SidOf("DialCallSid", "CA"),
            DialCallDuration = Number("DialCallDuration"),
            SequenceNumber = Number("SequenceNumber"),
            All = all,
            Ignored = ignored,
        };
        return WebhookParseResult.Ok(hook);
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";

    private static readonly HashSet<string> KnownNames =
    [
        "CallSid", "AccountSid", "From", "To", "CallStatus", "ApiVersion", "Direction", "ForwardedFrom",
        "CallerName", "ParentCallSid", "Digits", "QueuePosition", "QueueSid", "QueueTime", "AvgQueueTime",
        "CurrentQueueSize", "MaxQueueSize", "QueueResult", "DequeingCallSid", "CallDuration", "RecordingUrl",
        "RecordingSid", "RecordingDuration", "RecordingStatus", "DialCallStatus", "SequenceNumber",
        "DialCallSid", "DialCallDuration", "SpeechResult", "Confidence", "RecordingChannels",
    ];
}

/// <summary>The outcome of <see cref="VoiceWebhook.Parse"/>: a webhook, or the reason it was refused.</summary>
public sealed record WebhookParseResult
{
    /// <summary>The parsed webhook, when valid.</summary>
    public VoiceWebhook? Webhook { get; private init; }

    /// <summary>Why the request was refused, when invalid.</summary>
    public string? Error { get; private init; }

    internal static WebhookParseResult Ok(VoiceWebhook hook) => new() { Webhook = hook };

    internal static WebhookParseResult Fail(string error) => new() { Error = error };
}

/// <summary>Twilio SIDs: a two-letter prefix and 32 hex digits.</summary>
public static class Sid
{
    /// <summary>True when <paramref name="value"/> is <paramref name="prefix"/> followed by 32 hex digits.</summary>
    public static bool IsValid(string? value, string prefix) =>
        value is { Length: 34 } && value.StartsWith(prefix, StringComparison.Ordinal) && value.AsSpan(2).ContainsOnlyHex();

    private static bool ContainsOnlyHex(this ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
