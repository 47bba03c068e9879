using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Callbacks;

/// <summary>
/// The <c>MiniCC:Callbacks</c> section. Calling customers back dials out, so it is off until <see cref="CallerId"/>
/// names the number the callbacks show (a Twilio number of the account, or a verified caller ID: Twilio requires one
/// when an operator's desk dials).
/// </summary>
public sealed class CallbackOptions
{
    public const string Section = "MiniCC:Callbacks";

    /// <summary>The number customers see when called back, E.164. Empty (the default): no callbacks are offered.</summary>
    public string? CallerId { get; set; }

    /// <summary>How many times a callback is dialed before it is listed for a person.</summary>
    public int MaxAttempts { get; set; } = 3;

    /// <summary>How long after a busy, unanswered or failed attempt the callback is dialed again.</summary>
    public int RetryMinutes { get; set; } = 10;

    /// <summary>How long the customer's phone rings (the callback Dial's timeout).</summary>
    public int RingSeconds { get; set; } = 30;

    /// <summary>How many times a caller is asked again for a number that is not a phone number.</summary>
    public int KeyInTries { get; set; } = 3;

    public bool Enabled => !string.IsNullOrEmpty(CallerId);
}

internal sealed class CallbackOptionsValidator : IValidateOptions<CallbackOptions>
{
    public ValidateOptionsResult Validate(string? name, CallbackOptions o)
    {
        var p = new SettingProblems(CallbackOptions.Section);
        p.Check(string.IsNullOrEmpty(o.CallerId) || MiniCC.Operators.PhoneNumber.IsE164(o.CallerId),
            $"{p.Key(nameof(o.CallerId))} must be empty (no callbacks) or your Twilio number in E.164, such as +81501234567.");
        p.Range(nameof(o.MaxAttempts), o.MaxAttempts, 1, 10);
        p.Range(nameof(o.RetryMinutes), o.RetryMinutes, 1, 1440, "a day");
        p.Range(nameof(o.RingSeconds), o.RingSeconds, 5, 600, "Twilio's Dial limits");
        p.Range(nameof(o.KeyInTries), o.KeyInTries, 1, 5);
        return p.Result;
    }
}
