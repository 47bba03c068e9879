using Microsoft.Extensions.Options;

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
        var errors = new List<string>();
        if (string.IsNullOrWhiteSpace(o.SpoolDirectory))
        {
            errors.Add("MiniCC:SpoolDirectory must name a directory.");
        }

        if (o.SpoolReplaySeconds is < 0.05 or > 300 || double.IsNaN(o.SpoolReplaySeconds))
        {
            errors.Add($"MiniCC:SpoolReplaySeconds is {o.SpoolReplaySeconds}; it must be 0.05 to 300.");
        }

        if (o.WriteTimeoutSeconds is < 0.1 or > 10 || double.IsNaN(o.WriteTimeoutSeconds))
        {
            errors.Add($"MiniCC:WriteTimeoutSeconds is {o.WriteTimeoutSeconds}; it must be 0.1 to 10 (Twilio waits 15 s for an answer).");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}
