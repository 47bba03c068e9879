using Microsoft.Extensions.Options;
using MiniCC.Callbacks;
using MiniCC.Voice;
using MiniCC.Voicemail;

namespace MiniCC.Menu;

/// <summary>The menu: read once at start (<see cref="MenuSource"/>), checked before the server starts (<see cref="MenuCheck"/>), one <see cref="MenuTree"/> for all.</summary>
public static class MenuServices
{
    /// <summary><c>MiniCC:Menu</c> is bound and its keys checked with the other settings (MiniCCSettings); this adds its file, its default and its tree.</summary>
    public static IServiceCollection AddMenu(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<MenuOptions>().PostConfigure<IHostEnvironment>((o, host) => MenuSource.Resolve(o, configuration, host.ContentRootPath));
        services.AddSingleton(sp => new MenuTree(sp.GetRequiredService<IOptions<MenuOptions>>().Value, sp.GetRequiredService<IOptions<VoiceOptions>>().Value.Language));
        return services;
    }

    /// <summary>What the rest of the configuration says that a menu depends on.</summary>
    public static MenuCheckContext Context(VoiceOptions voice, VoicemailOptions voicemail, CallbackOptions callbacks)
    {
        ArgumentNullException.ThrowIfNull(voice);
        ArgumentNullException.ThrowIfNull(voicemail);
        ArgumentNullException.ThrowIfNull(callbacks);
        return new MenuCheckContext(voice.Language, voicemail.Enabled, callbacks.Enabled,
            voice.Queues.Count > 0 ? [.. voice.Queues.Select(q => q.Name)] : [voice.QueueName]);
    }
}

/// <summary>A bad menu stops the server at start, with every problem named (<see cref="MenuCheck"/>).</summary>
internal sealed class MenuOptionsValidator(IOptions<VoiceOptions> voice, IOptions<VoicemailOptions> voicemail, IOptions<CallbackOptions> callbacks)
    : IValidateOptions<MenuOptions>
{
    public ValidateOptionsResult Validate(string? name, MenuOptions options)
    {
        var problems = MenuCheck.Problems(options, MenuServices.Context(voice.Value, voicemail.Value, callbacks.Value));
        var where = string.IsNullOrEmpty(options.File) ? MenuOptions.Section : $"{MenuOptions.Section} ({options.File})";
        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems.Select(p => $"{where}: {p}"));
    }
}
