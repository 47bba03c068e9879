using Microsoft.Extensions.Options;
using MiniCC.Security;
using MiniCC.Settings;

namespace MiniCC.Desk;

/// <summary>The <c>MiniCC:Desk</c> section: operators who take calls in the browser.</summary>
public sealed class DeskOptions
{
    public const string Section = "MiniCC:Desk";

    /// <summary>Off until configured: the desk needs an API key and a TwiML App (see the README).</summary>
    public bool Enabled { get; set; }

    /// <summary>How long a desk's access token lives; the page renews it before it ends (Twilio allows 24 h at most).</summary>
    public int TokenTtlMinutes { get; set; } = 60;

    /// <summary>Numbers the desk may dial, by E.164 prefix; empty (the default): calling out is off.</summary>
    public IReadOnlyList<string> CallOutPrefixes { get; set; } = [];

    /// <summary>The number a call from the desk shows (one of the center's Twilio numbers); required to call out.</summary>
    public string? CallerId { get; set; }

    /// <summary>Whether the desk may dial <paramref name="e164"/>.</summary>
    public bool MayCall(string e164) => CallOutPrefixes.Any(prefix => e164.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>
/// The desk's own values, and, when it is on, the Twilio keys its tokens need: each missing one is named, so the desk
/// never starts half-configured.
/// </summary>
internal sealed class DeskOptionsValidator(IOptions<TwilioOptions> twilio) : IValidateOptions<DeskOptions>
{
    public ValidateOptionsResult Validate(string? name, DeskOptions o)
    {
        var p = new SettingProblems(DeskOptions.Section);
        p.Range(nameof(o.TokenTtlMinutes), o.TokenTtlMinutes, 1, 24 * 60);
        foreach (var prefix in o.CallOutPrefixes)
        {
            p.Check(prefix.Length is >= 2 and <= 16 && prefix[0] == '+' && prefix[1..].All(char.IsAsciiDigit) && prefix[1] != '0',
                $"{p.Key(nameof(o.CallOutPrefixes))} holds '{prefix}'; each is + and the first digits of an E.164 number (+81, +8150).");
        }

        p.Check(o.CallOutPrefixes.Count == 0 || (o.CallerId is { Length: >= 8 and <= 16 } id && id[0] == '+' && id[1..].All(char.IsAsciiDigit)),
            $"{p.Key(nameof(o.CallerId))} must be your Twilio number in E.164 (+81501234567) while {p.Key(nameof(o.CallOutPrefixes))} allows calling out.");
        if (o.Enabled)
        {
            var t = twilio.Value;
            foreach (var (key, value) in new[]
                     {
                         (nameof(t.AccountSid), t.AccountSid), (nameof(t.ApiKeySid), t.ApiKeySid), (nameof(t.ApiKeySecret), t.ApiKeySecret),
                         (nameof(t.TwimlAppSid), t.TwimlAppSid),
                     })
            {
                p.Check(!string.IsNullOrEmpty(value),
                    $"{p.Key(nameof(o.Enabled))} is true but {TwilioOptions.Section}:{key} is not set (see the README, \"The operator's desk\").");
            }
        }

        return p.Result;
    }
}
