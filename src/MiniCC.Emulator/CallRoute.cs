namespace MiniCC.Emulator;

/// <summary>
/// Where Twilio sends a call's requests and what it adds to them: a phone number's configuration, a TwiML App's (for a
/// device's calls), or a &lt;Dial&gt; noun's (a leg has no TwiML of its own, only its status callback).
/// </summary>
internal sealed record CallRoute(string Direction, string? VoiceUrl, string? FallbackUrl, string? StatusCallbackUrl, string Method)
{
    /// <summary>The status callback events a &lt;Dial&gt; noun may ask for; a number or an App sends only the last.</summary>
    public static readonly IReadOnlySet<string> Completed = new HashSet<string>(StringComparer.Ordinal) { "completed" };

    public string FallbackMethod { get; init; } = "POST";

    /// <summary>The call whose &lt;Dial&gt; created this leg (sent as ParentCallSid).</summary>
    public EmulatedCall? Parent { get; init; }

    /// <summary>Sent on every request of the call (a device's call: ApplicationSid).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Always { get; init; } = [];

    /// <summary>Sent on the first request only (a device's custom parameters, as <c>connect({params})</c> gives them to the App's Voice URL).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> FirstOnly { get; init; } = [];

    /// <summary>Which of initiated, ringing, answered, completed the status callback reports.</summary>
    public IReadOnlySet<string> StatusEvents { get; init; } = Completed;
}
