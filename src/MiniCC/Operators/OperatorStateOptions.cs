using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Operators;

/// <summary>
/// The <c>MiniCC:OperatorStates</c> section: after-call work, breaks and the automatic break of an operator who misses
/// callers. The same for operators on a phone and at the desk.
/// </summary>
public sealed class OperatorStateOptions
{
    public const string Section = "MiniCC:OperatorStates";

    /// <summary>After-call work: how long an operator stays in wrap-up after each call (0: straight back to ready).</summary>
    public int WrapUpSeconds { get; set; } = 30;

    /// <summary>How long one quiet hold (wrap-up or break) lasts before the loop checks the state again.</summary>
    public int HoldSeconds { get; set; } = 10;

    /// <summary>
    /// Misses in a row that put an operator on break (reason <c>no-answer</c>); 0 turns it off. A miss is a wait in the
    /// queue that ended without a caller while a caller was waiting the whole time.
    /// </summary>
    public int AutoPauseAfterMisses { get; set; } = 3;

    /// <summary>Reasons an operator may give for a break (at most 8: keys 1–8 choose them on the phone). Empty: the built-in list.</summary>
    public IReadOnlyList<BreakReason> BreakReasons { get; set; } = [];

    /// <summary>The break reasons in effect: the configured list, or the built-in one.</summary>
    public IReadOnlyList<BreakReason> Reasons => BreakReasons.Count > 0 ? BreakReasons : Builtin;

    /// <summary>The reason of a break MiniCC itself starts after repeated misses (not offered to operators).</summary>
    public static readonly BreakReason NoAnswer = new() { Key = "no-answer", Ja = "応答なし (自動)", En = "No answer (automatic)" };

    private static readonly BreakReason[] Builtin =
    [
        new() { Key = "break", Ja = "休憩", En = "Break" },
        new() { Key = "lunch", Ja = "昼食", En = "Lunch" },
        new() { Key = "meeting", Ja = "打ち合わせ", En = "Meeting" },
        new() { Key = "training", Ja = "研修", En = "Training" },
    ];

    /// <summary>The reason with this key (offered or automatic), or null.</summary>
    public BreakReason? Find(string? key) =>
        key == NoAnswer.Key ? NoAnswer : Reasons.FirstOrDefault(r => string.Equals(r.Key, key, StringComparison.Ordinal));

    public const int MaxReasons = 8;
}

/// <summary>A reason for a break, with what operators see and hear in each language.</summary>
public sealed class BreakReason
{
    public string Key { get; set; } = "";
    public string Ja { get; set; } = "";
    public string En { get; set; } = "";

    /// <summary>The label in the language of a prompt set or a page (<c>ja…</c> or anything else: English).</summary>
    public string Label(string language) => language.StartsWith("ja", StringComparison.OrdinalIgnoreCase) ? Ja : En;
}

internal sealed class OperatorStateOptionsValidator : IValidateOptions<OperatorStateOptions>
{
    public ValidateOptionsResult Validate(string? name, OperatorStateOptions o)
    {
        var p = new SettingProblems(OperatorStateOptions.Section);
        p.Range(nameof(o.WrapUpSeconds), o.WrapUpSeconds, 0, 3600, "an hour");
        p.Range(nameof(o.HoldSeconds), o.HoldSeconds, 2, 60);
        p.Range(nameof(o.AutoPauseAfterMisses), o.AutoPauseAfterMisses, 0, 100);
        var reasons = o.BreakReasons;
        p.Check(reasons.Count <= OperatorStateOptions.MaxReasons,
            $"{p.Key(nameof(o.BreakReasons))} holds {reasons.Count} reasons; at most {OperatorStateOptions.MaxReasons} (keys 1–{OperatorStateOptions.MaxReasons} on the phone).");
        for (var i = 0; i < reasons.Count; i++)
        {
            var r = reasons[i];
            var key = p.Key($"{nameof(o.BreakReasons)}:{i}");
            p.Check(r.Key is { Length: >= 1 and <= 32 } k && k.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
                    && k != OperatorStateOptions.NoAnswer.Key,
                $"{key}:Key must be 1 to 32 of a-z, 0-9 and -, and not '{OperatorStateOptions.NoAnswer.Key}' (MiniCC's own).");
            p.Check(!string.IsNullOrWhiteSpace(r.Ja) && r.Ja.Length <= 40 && !string.IsNullOrWhiteSpace(r.En) && r.En.Length <= 40,
                $"{key} needs a Ja and an En label of 1 to 40 characters.");
            p.Check(reasons.Take(i).All(x => x.Key != r.Key), $"{key}:Key '{r.Key}' appears twice.");
        }

        return p.Result;
    }
}
