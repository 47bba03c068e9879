using System.Globalization;
using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Voice;

/// <summary>The <c>MiniCC</c> configuration section: what callers hear and how the queue is run.</summary>
public sealed class VoiceOptions
{
    public const string Section = "MiniCC";

    /// <summary>Prompt set and <c>&lt;Say language&gt;</c>: <c>ja-JP</c> (default) or <c>en-US</c>.</summary>
    public string Language { get; set; } = "ja-JP";

    /// <summary>TTS voice; empty picks the prompt set's default (Polly.Mizuki / Polly.Joanna).</summary>
    public string? Voice { get; set; }

    public string QueueName { get; set; } = "MiniCC";

    public string HoldMusicUrl { get; set; } = "http://com.twilio.sounds.music.s3.amazonaws.com/MARKOVICHAMP-Borghestral.mp3";

    public int WaitPauseSeconds { get; set; } = 3;

    public int MenuTimeoutSeconds { get; set; } = 10;

    public int OperatorDialTimeoutSeconds { get; set; } = 60;

    /// <summary>When set, the product information is this audio file instead of the text prompt.</summary>
    public string? InformationAudioUrl { get; set; }

    /// <summary>When set, TwiML URLs are absolute on this base (e.g. behind a proxy); otherwise relative.</summary>
    public string? PublicBaseUrl { get; set; }

    /// <summary>While the database is away, an operator recognised this recently is still recognised.</summary>
    public int OperatorCacheMinutes { get; set; } = 60;

    /// <summary>How long this instance uses its copy of the operator directory before reading it again.</summary>
    public int OperatorCacheSeconds { get; set; } = 5;

    /// <summary>Country calling code used to turn national numbers (0…) into E.164.</summary>
    public string DefaultCountryCode { get; set; } = "81";

    /// <summary>Per-prompt overrides of the chosen prompt set.</summary>
    public PromptTexts Prompts { get; set; } = new();

    /// <summary>
    /// <c>MiniCC:Queues</c>: the center's queues, the first the default. Empty: one queue, <see cref="QueueName"/> with
    /// <see cref="HoldMusicUrl"/>.
    /// </summary>
    public List<Queues.QueueSettings> Queues { get; set; } = [];

    /// <summary><c>MiniCC:PinLockout</c>: how many wrong PINs, across calls and instances, lock an operator's PIN.</summary>
    public PinLockoutOptions PinLockout { get; set; } = new();
}

/// <summary>
/// The per-call limit (three tries) alone lets anyone who spoofs an operator's caller ID try every PIN over
/// enough calls; this limit counts every wrong PIN of an operator in the database, whichever call or instance took it.
/// </summary>
public sealed class PinLockoutOptions
{
    /// <summary>Wrong PINs within <see cref="WindowMinutes"/> that lock the PIN.</summary>
    public int MaxFailures { get; set; } = 10;

    /// <summary>How long a wrong PIN counts.</summary>
    public int WindowMinutes { get; set; } = 60;

    /// <summary>How long the PIN stays locked (even the right PIN is refused), unless <c>minicc operators unlock</c> ends it.</summary>
    public int LockMinutes { get; set; } = 60;
}

/// <summary>Every text a caller or operator can hear. Null or empty means "the prompt set's text".</summary>
public sealed class PromptTexts
{
    public string? Welcome { get; set; }
    public string? Menu { get; set; }
    public string? Retry { get; set; }
    public string? NoInput { get; set; }
    public string? Connecting { get; set; }
    public string? Information { get; set; }
    public string? InformationEnd { get; set; }
    /// <summary>Must contain <c>{0}</c>, replaced by the caller's place in line.</summary>
    public string? QueuePosition { get; set; }
    public string? OperatorReady { get; set; }
    public string? Whisper { get; set; }
    public string? ThankYou { get; set; }
    public string? QueueFull { get; set; }
    public string? Trouble { get; set; }
    public string? PinPrompt { get; set; }
    public string? PinWrong { get; set; }
    public string? PinLocked { get; set; }
    /// <summary>Said when the operator's PIN is locked after too many wrong PINs across calls; then the call ends.</summary>
    public string? PinLockedOut { get; set; }

    /// <summary>Heard by anyone but an active operator who calls the desk's TwiML App (then the call ends).</summary>
    public string? DeskOnly { get; set; }

    /// <summary>Heard when the desk dials a number that calling out does not allow.</summary>
    public string? CallOutRefused { get; set; }

    /// <summary>Heard by an operator at the start of after-call work (say which keys end it).</summary>
    public string? WrapUp { get; set; }

    /// <summary>Heard by an operator at the start of a break (say which key ends it).</summary>
    public string? OnBreak { get; set; }

    /// <summary>Heard by an operator put on break after missing callers (MiniCC:OperatorStates:AutoPauseAfterMisses).</summary>
    public string? AutoPaused { get; set; }

    /// <summary>Asks for a break's reason; each reason follows as <see cref="BreakOption"/>.</summary>
    public string? BreakChoice { get; set; }

    /// <summary>One break reason: <c>{0}</c> is its key, <c>{1}</c> its label.</summary>
    public string? BreakOption { get; set; }

    /// <summary>Said in the queue when callbacks are on: how to ask for one (the * key).</summary>
    public string? CallbackOffer { get; set; }

    /// <summary>Said in the queue when voicemail is on: how to leave a message instead (the # key).</summary>
    public string? VoicemailOffer { get; set; }

    /// <summary>Asks to confirm the caller's own number: <c>{0}</c> is the number, spoken digit by digit.</summary>
    public string? CallbackConfirm { get; set; }

    /// <summary>Asks for the number to call back on (then #).</summary>
    public string? CallbackKeyIn { get; set; }

    /// <summary>Said when the keyed number is not a phone number MiniCC can call.</summary>
    public string? CallbackNotANumber { get; set; }

    /// <summary>Confirms the request: <c>{0}</c> is the number. Then the call ends.</summary>
    public string? CallbackAccepted { get; set; }

    /// <summary>Said to a caller whose number already has a callback waiting.</summary>
    public string? CallbackAlready { get; set; }

    /// <summary>Heard by the operator before a callback is dialed: <c>{0}</c> is the number.</summary>
    public string? CallbackToOperator { get; set; }

    /// <summary>Heard by the customer who answers a callback, before the operator is connected.</summary>
    public string? CallbackGreeting { get; set; }

    /// <summary>Said at once when no operator is signed in (or all are on a break).</summary>
    public string? NoOperator { get; set; }

    /// <summary>With NoOperator, when callbacks are on (the 1 key).</summary>
    public string? NoOperatorCallback { get; set; }

    /// <summary>With NoOperator, when voicemail is on (the 2 key).</summary>
    public string? NoOperatorVoicemail { get; set; }

    /// <summary>Said to a caller who waited MiniCC:Voicemail:MaxWaitSeconds, before the voicemail prompt.</summary>
    public string? MaxWait { get; set; }
    /// <summary>Heard by a customer who calls while the center is closed (MiniCC:Hours), unless MiniCC:Hours:ClosedAudioUrl is set.</summary>
    public string? Closed { get; set; }

    /// <summary>Follows <see cref="Closed"/>: <c>{0}</c> is the next opening as a person says it ("tomorrow, Thursday, November 26, at 9 AM").</summary>
    public string? NextOpening { get; set; }
    /// <summary>Said before the beep of a voicemail (say how to finish: the pound key, or hanging up).</summary>
    public string? VoicemailPrompt { get; set; }

    /// <summary>Said after a message was left; then the call ends.</summary>
    public string? VoicemailThanks { get; set; }

    /// <summary>Said when the caller left no message; then the call ends.</summary>
    public string? VoicemailNothing { get; set; }

    /// <summary>Said instead of the voicemail prompt while MiniCC:Voicemail:Enabled is false; then the call ends.</summary>
    public string? VoicemailOff { get; set; }
    /// <summary>The estimated wait (MiniCC:WaitEstimate) when it is under a minute.</summary>
    public string? WaitLessThanAMinute { get; set; }

    /// <summary>The estimated wait when it rounds to one minute.</summary>
    public string? WaitAboutAMinute { get; set; }

    /// <summary>The estimated wait in minutes: must contain <c>{0}</c>, the minutes.</summary>
    public string? WaitAboutMinutes { get; set; }

    /// <summary>The estimated wait above MiniCC:WaitEstimate:MaxAnnouncedMinutes: must contain <c>{0}</c>, that cap.</summary>
    public string? WaitMoreThanMinutes { get; set; }

    /// <summary>Said to a caller before they are queued in a queue that records its conversations.</summary>
    public string? RecordingNotice { get; set; }
}

internal sealed class VoiceOptionsValidator : IValidateOptions<VoiceOptions>
{
    public ValidateOptionsResult Validate(string? name, VoiceOptions o)
    {
        var p = new SettingProblems(VoiceOptions.Section);
        p.Check(PromptSet.Find(o.Language) is not null,
            $"{p.Key(nameof(o.Language))} is '{o.Language}'; it must be one of {string.Join(", ", PromptSet.Languages)}.");
        p.NotBlank(nameof(o.Voice), o.Voice);
        p.Check(!string.IsNullOrWhiteSpace(o.QueueName) && o.QueueName.Length <= 64, $"{p.Key(nameof(o.QueueName))} must be 1 to 64 characters.");
        p.Check(IsHttpUrl(o.HoldMusicUrl), $"{p.Key(nameof(o.HoldMusicUrl))} must be an absolute http(s) URL (it is '{o.HoldMusicUrl}').");
        p.Check(string.IsNullOrEmpty(o.InformationAudioUrl) || IsHttpUrl(o.InformationAudioUrl),
            $"{p.Key(nameof(o.InformationAudioUrl))} must be empty or an absolute http(s) URL.");
        // The routes are appended to it, so a query or a fragment would end up before them.
        p.Check(string.IsNullOrEmpty(o.PublicBaseUrl) || (IsHttpUrl(o.PublicBaseUrl) && !o.PublicBaseUrl.Contains('?') && !o.PublicBaseUrl.Contains('#')),
            $"{p.Key(nameof(o.PublicBaseUrl))} must be empty or an absolute http(s) URL without a query, such as https://cc.example.com.");
        p.Range(nameof(o.WaitPauseSeconds), o.WaitPauseSeconds, 0, 60);
        p.Range(nameof(o.MenuTimeoutSeconds), o.MenuTimeoutSeconds, 1, 60);
        p.Range(nameof(o.OperatorDialTimeoutSeconds), o.OperatorDialTimeoutSeconds, 5, 600, "Twilio's Dial limits");
        p.Range(nameof(o.OperatorCacheMinutes), o.OperatorCacheMinutes, 0, 1440);
        p.Range(nameof(o.OperatorCacheSeconds), o.OperatorCacheSeconds, 0, 300);
        p.Check(o.DefaultCountryCode is { Length: >= 1 and <= 3 } && o.DefaultCountryCode.All(char.IsAsciiDigit) && o.DefaultCountryCode[0] != '0',
            $"{p.Key(nameof(o.DefaultCountryCode))} must be a country calling code such as 81 or 1.");
        MiniCC.Queues.QueueDirectory.Check(o, p);
        p.Range("PinLockout:" + nameof(o.PinLockout.MaxFailures), o.PinLockout.MaxFailures, 1, 1000);
        p.Range("PinLockout:" + nameof(o.PinLockout.WindowMinutes), o.PinLockout.WindowMinutes, 1, 10080, "a week");
        p.Range("PinLockout:" + nameof(o.PinLockout.LockMinutes), o.PinLockout.LockMinutes, 1, 10080, "a week");
        foreach (var prompt in typeof(PromptTexts).GetProperties())
        {
            p.NotBlank("Prompts:" + prompt.Name, (string?)prompt.GetValue(o.Prompts));
        }

        p.Check(string.IsNullOrEmpty(o.Prompts.QueuePosition) || FormatsPlace(o.Prompts.QueuePosition),
            $"{p.Key("Prompts:" + nameof(o.Prompts.QueuePosition))} must contain {{0}} where the place in line is spoken, and no other {{…}}.");
        foreach (var (key, prompt) in new[]
                 {
                     (nameof(o.Prompts.CallbackConfirm), o.Prompts.CallbackConfirm), (nameof(o.Prompts.CallbackAccepted), o.Prompts.CallbackAccepted),
                     (nameof(o.Prompts.CallbackToOperator), o.Prompts.CallbackToOperator),
                 })
        {
            p.Check(string.IsNullOrEmpty(prompt) || Formats(prompt, 1),
                $"{p.Key("Prompts:" + key)} must contain {{0}} where the number is spoken, and no other {{…}}.");
        }

        p.Check(string.IsNullOrEmpty(o.Prompts.BreakOption) || Formats(o.Prompts.BreakOption, 2),
            $"{p.Key("Prompts:" + nameof(o.Prompts.BreakOption))} must contain {{0}} (the key) and {{1}} (the reason), and no other {{…}}.");
        p.Check(string.IsNullOrEmpty(o.Prompts.NextOpening) || Formats(o.Prompts.NextOpening, 1),
            $"{p.Key("Prompts:" + nameof(o.Prompts.NextOpening))} must contain {{0}} where the next opening is spoken, and no other {{…}}.");
        foreach (var (key, prompt) in new[] { (nameof(o.Prompts.WaitAboutMinutes), o.Prompts.WaitAboutMinutes), (nameof(o.Prompts.WaitMoreThanMinutes), o.Prompts.WaitMoreThanMinutes) })
        {
            p.Check(string.IsNullOrEmpty(prompt) || Formats(prompt, 1),
                $"{p.Key("Prompts:" + key)} must contain {{0}} where the minutes are spoken, and no other {{…}}.");
        }

        return p.Result;
    }

    private static bool Formats(string prompt, int arguments)
    {
        try
        {
            return Enumerable.Range(0, arguments).All(i => prompt.Contains("{" + i + "}", StringComparison.Ordinal))
                && string.Format(CultureInfo.InvariantCulture, prompt, [.. Enumerable.Range(0, arguments).Cast<object>()]).Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsHttpUrl(string? s) =>
        Uri.TryCreate(s, UriKind.Absolute, out var u) && (u.Scheme == Uri.UriSchemeHttp || u.Scheme == Uri.UriSchemeHttps);

    /// <summary>The prompt is formatted with the place in line on every wait: a {1} or a stray brace would fail there, for every caller.</summary>
    private static bool FormatsPlace(string prompt)
    {
        try
        {
            return prompt.Contains("{0}", StringComparison.Ordinal) && string.Format(CultureInfo.InvariantCulture, prompt, 1).Length > 0;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
