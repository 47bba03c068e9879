using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Storage;

/// <summary>The <c>MiniCC</c> settings that say how history reaches the database: the spool and the write bound.</summary>
public sealed class StorageOptions
{
    public const string Section = "MiniCC";

    /// <summary><c>MiniCC:SpoolDirectory</c>: where events wait while the database cannot take them (one per instance).</summary>
    public string SpoolDirectory { get; set; } = "spool";

    /// <summary><c>MiniCC:SpoolReplaySeconds</c>: how often the spool is offered to the database again.</summary>
    public double SpoolReplaySeconds { get; set; } = 2;

    /// <summary>
    /// <c>MiniCC:WriteTimeoutSeconds</c>: a webhook's write that has not finished by then goes to the spool and
    /// the webhook is answered; Twilio gives up on a webhook after 15 s, so this stays well below it.
    /// </summary>
    public double WriteTimeoutSeconds { get; set; } = 2;

    public TimeSpan ReplayPeriod => TimeSpan.FromSeconds(SpoolReplaySeconds);

    public TimeSpan WriteTimeout => TimeSpan.FromSeconds(WriteTimeoutSeconds);
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions o)
    {
        var p = new SettingProblems(StorageOptions.Section);
        p.Check(!string.IsNullOrWhiteSpace(o.SpoolDirectory), $"{p.Key(nameof(o.SpoolDirectory))} must name a directory.");
        p.Range(nameof(o.SpoolReplaySeconds), o.SpoolReplaySeconds, 0.05, 300);
        p.Range(nameof(o.WriteTimeoutSeconds), o.WriteTimeoutSeconds, 0.1, 10, "Twilio waits 15 s for an answer");
        return p.Result;
    }
}
