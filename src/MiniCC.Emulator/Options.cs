namespace MiniCC.Emulator;

/// <summary>How the emulated Twilio reaches the app and how long things take.</summary>
public sealed record EmulatorOptions
{
    /// <summary>The number's Voice URL (absolute, or relative to the HttpClient's base address).</summary>
    public string VoiceUrl { get; init; } = "/voice/incoming";

    /// <summary>The number's Status Callback URL; null for none.</summary>
    public string? StatusCallbackUrl { get; init; } = "/voice/status";

    /// <summary>The HTTP method of the Voice URL and Status Callback URL (of the number and of the TwiML App).</summary>
    public string Method { get; init; } = "POST";

    /// <summary>
    /// The number's Voice Fallback URL ("Primary handler fails"); null for none. After an application error Twilio
    /// requests it with <c>ErrorCode</c> and <c>ErrorUrl</c> and its TwiML continues the call; without one the caller
    /// hears Twilio's apology (<see cref="TwilioEmulator.ApplicationErrorMessage"/>) and the call ends.
    /// </summary>
    public string? FallbackUrl { get; init; }

    /// <summary>The HTTP method of the Fallback URLs.</summary>
    public string FallbackMethod { get; init; } = "POST";

    /// <summary>The TwiML App's Voice URL: where a Voice SDK device's <c>connect()</c> goes.</summary>
    public string ClientVoiceUrl { get; init; } = "/voice/client";

    /// <summary>The TwiML App's Voice Fallback URL; null for none.</summary>
    public string? ClientFallbackUrl { get; init; }

    /// <summary>The TwiML App's Status Callback URL (configured per App in Twilio): sent when a device's call ends; null for none.</summary>
    public string? ClientStatusCallbackUrl { get; init; } = "/voice/status";

    /// <summary>The TwiML App (<c>AP…</c>) the devices' tokens name: sent as <c>ApplicationSid</c> on their calls.</summary>
    public string TwimlAppSid { get; init; } = "AP" + new string('0', 31) + "1";

    /// <summary>Signs every request with X-Twilio-Signature when set.</summary>
    public string? AuthToken { get; init; }

    /// <summary>Sent after Twilio's 401 challenge when set (as credentials in the configured URL).</summary>
    public string? BasicAuthUsername { get; init; }

    public string? BasicAuthPassword { get; init; }

    public string AccountSid { get; init; } = "AC" + new string('0', 31) + "1";

    /// <summary>The Twilio number callers dial.</summary>
    public string Number { get; init; } = "+81501234567";

    /// <summary>Characters of &lt;Say&gt; text spoken per second.</summary>
    public double SayCharactersPerSecond { get; init; } = 8;

    /// <summary>How long one &lt;Play&gt; of a file lasts.</summary>
    public TimeSpan PlayDuration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a caller without a <see cref="CallerScript"/> speaks into a &lt;Record&gt; (then silence, until its timeout).</summary>
    public TimeSpan RecordDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The account's "Enforce HTTP Auth on Media URLs": the media server (<see cref="TwilioEmulator.StartMediaServer"/>)
    /// then answers 401 to a request without HTTP Basic AccountSid:<see cref="AuthToken"/>.
    /// </summary>
    public bool EnforceMediaAuth { get; init; }

    /// <summary>
    /// Caller IDs a &lt;Dial callerId&gt; may show besides <see cref="Number"/>: the account's other Twilio numbers and its
    /// verified caller IDs. A call from a number may also show its own From or To; a Voice SDK call must name one of these.
    /// </summary>
    public IReadOnlyList<string> CallerIds { get; init; } = [];

    /// <summary>Twilio's default maximum queue size.</summary>
    public int MaxQueueSize { get; init; } = 1000;

    /// <summary>The largest response Twilio accepts (error 11750 beyond it).</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024;

    /// <summary>A safety net: a call that makes more requests than this is ended as an error (a TwiML loop).</summary>
    public int MaxRequestsPerCall { get; init; } = 2000;

    /// <summary>Where the simulated time starts.</summary>
    public DateTimeOffset Start { get; init; } = new(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What the app's menu keys mean, for the ground truth only: the TwiML interpreter never reads it.</summary>
    public MenuMeaning Menu { get; init; } = MenuMeaning.MiniCC;

    /// <summary>Seed of every random choice (SIDs, arrivals, behaviour): same seed, same run.</summary>
    public int Seed { get; init; } = 1;
}
