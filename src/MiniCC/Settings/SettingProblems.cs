using System.Globalization;
using Microsoft.Extensions.Options;

namespace MiniCC.Settings;

/// <summary>
/// What a validator found wrong, one sentence per setting, each naming the full key and saying what it must be
/// (<c>MiniCC:SpoolReplaySeconds is 0.01; it must be 0.05 to 300.</c>). A value out of range is an error, never clamped.
/// </summary>
internal sealed class SettingProblems(string section)
{
    private readonly List<string> _found = [];

    /// <summary>The full key of <paramref name="name"/> (e.g. <c>PinLockout:MaxFailures</c>) in this section.</summary>
    public string Key(string name) => $"{section}:{name}";

    public void Check(bool ok, string message)
    {
        if (!ok)
        {
            _found.Add(message);
        }
    }

    public void Range(string name, int value, int min, int max, string? why = null) =>
        Check(value >= min && value <= max, $"{Key(name)} is {value}; it must be {min} to {max}{Why(why)}.");

    /// <summary>Not a number (NaN) is out of every range.</summary>
    public void Range(string name, double value, double min, double max, string? why = null) =>
        Check(value >= min && value <= max,
            $"{Key(name)} is {value.ToString(CultureInfo.InvariantCulture)}; it must be {min.ToString(CultureInfo.InvariantCulture)} to {max.ToString(CultureInfo.InvariantCulture)}{Why(why)}.");

    /// <summary>A text that is set but holds only spaces would be replaced by the default or say nothing: neither is what was meant.</summary>
    public void NotBlank(string name, string? value) =>
        Check(value is not { Length: > 0 } || !string.IsNullOrWhiteSpace(value),
            $"{Key(name)} holds only spaces; leave it empty for the default, or give the text.");

    public ValidateOptionsResult Result => _found.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(_found);

    private static string Why(string? why) => why is null ? "" : $" ({why})";
}
