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

    /// <summary>
    /// What an operator may say became of a call (<c>Dispositions:0:Key</c>, <c>:Ja</c>, <c>:En</c>, <c>Dispositions:1:…</c>);
    /// empty (the default): <see cref="DefaultDispositions"/>. Not given a default list itself: the configuration binder
    /// would add the configured items to it rather than replace it.
    /// </summary>
    public IReadOnlyList<DispositionChoice> Dispositions { get; set; } = [];

    /// <summary>The dispositions an operator chooses from, in the order configured.</summary>
    public IReadOnlyList<DispositionChoice> DispositionChoices => Dispositions.Count > 0 ? Dispositions : DefaultDispositions;

    /// <summary>A small center's outcomes of a call.</summary>
    public static IReadOnlyList<DispositionChoice> DefaultDispositions { get; } =
    [
        new() { Key = "resolved", Ja = "解決", En = "Resolved" },
        new() { Key = "follow-up", Ja = "要フォローアップ", En = "Follow-up needed" },
        new() { Key = "information-only", Ja = "案内のみ", En = "Information only" },
        new() { Key = "complaint", Ja = "苦情", En = "Complaint" },
        new() { Key = "wrong-number", Ja = "間違い電話", En = "Wrong number" },
    ];

    /// <summary>The configured disposition <paramref name="key"/>, or null when it is none (or no longer one).</summary>
    public DispositionChoice? FindDisposition(string? key) => DispositionChoices.FirstOrDefault(d => d.Key == key);

    /// <summary>Whether the desk may dial <paramref name="e164"/>.</summary>
    public bool MayCall(string e164) => CallOutPrefixes.Any(prefix => e164.StartsWith(prefix, StringComparison.Ordinal));
}

/// <summary>One disposition: the key stored with the call and shown in CSV and JSON, and the labels people read.</summary>
public sealed class DispositionChoice
{
    public const int MaxKeyLength = 32;
    public const int MaxLabelLength = 100;

    public string Key { get; set; } = "";
    public string Ja { get; set; } = "";
    public string En { get; set; } = "";

    /// <summary>The label in the pages' language (<c>ja</c> or <c>en</c>).</summary>
    public string Label(bool japanese) => japanese ? Ja : En;

    public static bool IsKey(string? key) =>
        key is { Length: >= 1 and <= MaxKeyLength } && key.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
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

        Dispositions(p, o.Dispositions);
        p.Check(o.CallOutPrefixes.Count == 0 || MiniCC.Operators.PhoneNumber.IsE164(o.CallerId),
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

    /// <summary>Each configured disposition: a key of its own, and both labels (one line each, as a page shows them).</summary>
    private static void Dispositions(SettingProblems p, IReadOnlyList<DispositionChoice> dispositions)
    {
        p.Check(dispositions.Count <= 100, $"{p.Key(nameof(DeskOptions.Dispositions))} holds {dispositions.Count} dispositions; 100 at most.");
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < dispositions.Count; i++)
        {
            var d = dispositions[i];
            var item = $"{nameof(DeskOptions.Dispositions)}:{i}";
            p.Check(DispositionChoice.IsKey(d.Key),
                $"{p.Key(item + ":Key")} is '{d.Key}'; a disposition's key is 1 to {DispositionChoice.MaxKeyLength} of a-z, 0-9 and - (e.g. follow-up).");
            if (seen.TryGetValue(d.Key, out var first))
            {
                p.Check(false, $"{p.Key(item + ":Key")} is '{d.Key}', as {p.Key($"{nameof(DeskOptions.Dispositions)}:{first}:Key")} is; each key once.");
            }
            else
            {
                seen[d.Key] = i;
            }

            foreach (var (name, label) in new[] { ("Ja", d.Ja), ("En", d.En) })
            {
                p.Check(!string.IsNullOrWhiteSpace(label) && label.Length <= DispositionChoice.MaxLabelLength && !label.Any(char.IsControl),
                    $"{p.Key($"{item}:{name}")} must be a label of 1 to {DispositionChoice.MaxLabelLength} characters on one line (each disposition has a Japanese and an English one).");
            }
        }
    }
}
