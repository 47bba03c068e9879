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
