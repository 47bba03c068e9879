using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Storage;

/// <summary>The <c>MiniCC</c> settings that say how history reaches the database: the spool and the write bound.</summary>
public sealed class StorageOptions
{
    public const string Section = "MiniCC";

    /// <summary>
    /// <c>MiniCC:DataDirectory</c>: where a relative SQLite file and spool go. Empty: systemd's <c>STATE_DIRECTORY</c>
    /// (a service's <c>StateDirectory=</c>) when set, else the working directory (<c>dotnet run</c>'s, as before).
    /// </summary>
    public string DataDirectory { get; set; } = "";

    /// <summary><c>MiniCC:SpoolDirectory</c>: where events wait while the database cannot take them (one per instance).</summary>
    public string SpoolDirectory { get; set; } = "spool";

    /// <summary>
    /// The directory of MiniCC's data, as <paramref name="configuration"/> says (see <see cref="DataDirectory"/>); read
    /// from the configuration, not the process, so that a test's settings and a process's environment are alike.
    /// </summary>
    public static string DataDirectoryOf(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[$"{Section}:{nameof(DataDirectory)}"] is { Length: > 0 } configured && !string.IsNullOrWhiteSpace(configured))
        {
            return Path.GetFullPath(configured);
        }

        // systemd gives a colon-separated list when a unit names several state directories; the first is MiniCC's.
        return configuration[SystemdStateDirectory]?.Split(':')[0] is { Length: > 0 } state
            ? Path.GetFullPath(state)
            : Directory.GetCurrentDirectory();
    }

    public const string SystemdStateDirectory = "STATE_DIRECTORY";

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
        p.Check(string.IsNullOrWhiteSpace(o.DataDirectory) || Directory.Exists(o.DataDirectory),
            $"{p.Key(nameof(o.DataDirectory))} is {o.DataDirectory}, which does not exist: create it, writable by the user MiniCC runs as.");
        p.Range(nameof(o.SpoolReplaySeconds), o.SpoolReplaySeconds, 0.05, 300);
        p.Range(nameof(o.WriteTimeoutSeconds), o.WriteTimeoutSeconds, 0.1, 10, "Twilio waits 15 s for an answer");
        return p.Result;
    }
}
