using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using MiniCC.Reports;
using MiniCC.Security;
using MiniCC.Storage;
using MiniCC.Voice;

namespace MiniCC.Settings;

/// <summary>
/// Every setting MiniCC reads is bound here and nowhere else: each section to its options class, which the code
/// reads as <c>IOptions&lt;T&gt;</c>. All of them are checked before MiniCC starts, by the server and by every
/// verb alike (<see cref="ValidateSettings"/>): a value that is not of the setting's type, a value out of range
/// (never clamped), and a key under <c>MiniCC:</c> that is no setting (a typo would keep the default without a
/// word) each stop MiniCC with one line naming the key.
/// </summary>
public static class MiniCCSettings
{
    /// <summary>The section in which every key must be a setting.</summary>
    public const string Root = "MiniCC";

    private static readonly Section[] Sections =
    [
        Section.Of<VoiceOptions, VoiceOptionsValidator>(VoiceOptions.Section),
        Section.Of<StorageOptions, StorageOptionsValidator>(StorageOptions.Section),
        Section.Of<WebhookSecurityOptions, WebhookSecurityOptionsValidator>(WebhookSecurityOptions.Section),
        Section.Of<SignInOptions, SignInOptionsValidator>(SignInOptions.Section),
        Section.Of<ReportOptions, ReportOptionsValidator>(ReportOptions.Section),
        Section.Of<TwilioOptions, TwilioOptionsValidator>(TwilioOptions.Section),
        Section.Of<MiniCC.Operators.OperatorStateOptions, MiniCC.Operators.OperatorStateOptionsValidator>(MiniCC.Operators.OperatorStateOptions.Section),
        Section.Of<MiniCC.Desk.DeskOptions, MiniCC.Desk.DeskOptionsValidator>(MiniCC.Desk.DeskOptions.Section),
        Section.Of<MiniCC.Callbacks.CallbackOptions, MiniCC.Callbacks.CallbackOptionsValidator>(MiniCC.Callbacks.CallbackOptions.Section),
        Section.Of<MiniCC.Hours.HoursOptions, MiniCC.Hours.HoursOptionsValidator>(MiniCC.Hours.HoursOptions.Section),
        Section.Of<MiniCC.Voicemail.VoicemailOptions, MiniCC.Voicemail.VoicemailOptionsValidator>(MiniCC.Voicemail.VoicemailOptions.Section),
        Section.Of<WaitEstimateOptions, WaitEstimateOptionsValidator>(WaitEstimateOptions.Section),
        Section.Of<MiniCC.Menu.MenuOptions, MiniCC.Menu.MenuOptionsValidator>(MiniCC.Menu.MenuOptions.Section),
        Section.Of<MiniCC.Recordings.RecordingOptions, MiniCC.Recordings.RecordingOptionsValidator>(MiniCC.Recordings.RecordingOptions.Section),
        Section.Of<MiniCC.Metrics.MetricsOptions, MiniCC.Metrics.MetricsOptionsValidator>(MiniCC.Metrics.MetricsOptions.Section),
    ];

    /// <summary>Every key of every section above, from the options classes' properties.</summary>
    public static SettingKeys Keys { get; } = SettingKeys.Of(Sections.Select(s => (s.Path, s.Options)));

    public static IServiceCollection AddMiniCCSettings(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var section in Sections)
        {
            section.Register(services, configuration);
        }

        services.AddOptions<ConfiguredKeys>().Configure(k => k.Unknown = [.. Keys.UnknownKeyProblems(configuration, Root)]).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<ConfiguredKeys>, ConfiguredKeysValidator>());

        // The database: two keys outside MiniCC:, with their own checks (a provider, a connection string it can parse).
        var database = DatabaseSettings.From(configuration);
        if (database.Problem() is { } problem)
        {
            throw new StartupException(problem);
        }

        // Relative data paths are under the data directory (MiniCC:DataDirectory, a service's state directory, or the working one).
        var data = StorageOptions.DataDirectoryOf(configuration);
        services.AddSingleton(database.InDirectory(data));
        services.PostConfigure<StorageOptions>(o => o.SpoolDirectory = string.IsNullOrWhiteSpace(o.SpoolDirectory)
            ? o.SpoolDirectory
            : Path.GetFullPath(o.SpoolDirectory, data));
        return services;
    }

    /// <summary>
    /// Binds and checks every setting now, before anything starts (the host would do it at start too, but would
    /// first log the failure with a stack trace). Throws <see cref="OptionsValidationException"/>, or an
    /// <see cref="AggregateException"/> of them when several sections are wrong.
    /// </summary>
    public static void ValidateSettings(this IServiceProvider services) =>
        services.GetRequiredService<IStartupValidator>().Validate();

    /// <summary>One section bound and checked as MiniCC does, outside a host (<c>minicc simulate --url</c> signs as the server expects).</summary>
    internal static T Read<T>(IConfiguration configuration) where T : class
    {
        var services = new ServiceCollection();
        Sections.Single(s => s.Options == typeof(T)).Register(services, configuration);
        using var provider = services.BuildServiceProvider();
        return provider.GetRequiredService<IOptions<T>>().Value;
    }

    /// <summary>Binds one options object, unless a value cannot be bound: then every such value is named, as a validator would.</summary>
    private static void Bind<T>(IConfiguration configuration, string path, T options) where T : class
    {
        var problems = SettingKeys.ValueProblems(configuration, Keys.ReadBy(typeof(T))).ToList();
        if (problems.Count > 0)
        {
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(T), problems);
        }

        try
        {
            configuration.GetSection(path).Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            // A value inside a list or a group of groups (a menu node's TimeoutSeconds) is not among the keys above;
            // the binder's message names its key.
            throw new OptionsValidationException(Microsoft.Extensions.Options.Options.DefaultName, typeof(T), [ex.Message]);
        }
    }

    private sealed record Section(string Path, Type Options, Action<IServiceCollection, IConfiguration> Register)
    {
        public static Section Of<T, TValidator>(string path)
            where T : class
            where TValidator : class, IValidateOptions<T> =>
            new(path, typeof(T), (services, configuration) =>
            {
                services.AddOptions<T>().Configure(o => Bind(configuration, path, o)).ValidateOnStart();
                services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<T>, TValidator>());
            });
    }
}

/// <summary>The keys configured under <c>MiniCC:</c> that are no setting (with the nearest one that is); valid when there are none.</summary>
internal sealed class ConfiguredKeys
{
    public IReadOnlyList<string> Unknown { get; set; } = [];
}

internal sealed class ConfiguredKeysValidator : IValidateOptions<ConfiguredKeys>
{
    public ValidateOptionsResult Validate(string? name, ConfiguredKeys options) =>
        options.Unknown.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(options.Unknown);
}
