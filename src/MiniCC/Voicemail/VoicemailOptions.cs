using Microsoft.Extensions.Options;
using MiniCC.Settings;
using MiniCC.Twilio.TwiML;

namespace MiniCC.Voicemail;

/// <summary>The <c>MiniCC:Voicemail</c> section: messages callers leave when they cannot wait (or nobody can answer).</summary>
public sealed class VoicemailOptions
{
    public const string Section = "MiniCC:Voicemail";

    /// <summary>Where Twilio keeps recordings; the default of <see cref="MediaUrlPrefixes"/>.</summary>
    public const string TwilioMedia = "https://api.twilio.com/";

    /// <summary>Off: a caller sent to voicemail hears a goodbye instead of the beep.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The longest message, in seconds (Twilio's <c>&lt;Record maxLength&gt;</c>: 2 to 14,400).</summary>
    public int MaxLengthSeconds { get; set; } = 120;

    /// <summary>A caller who has waited this long is offered voicemail instead (the wait document's business); 0: never.</summary>
    public int MaxWaitSeconds { get; set; }

    /// <summary>
    /// The only places MiniCC fetches recordings from (URL prefixes); empty (the default): <see cref="TwilioMedia"/>. A recording
    /// URL anywhere else is never requested, so a forged one cannot make MiniCC call into the network it sits in. Not given
    /// a default list itself: the configuration binder would add the configured items to it rather than replace it.
    /// </summary>
    public IReadOnlyList<string> MediaUrlPrefixes { get; set; } = [];

    /// <summary>The prefixes in force, each as an absolute URI.</summary>
    public IReadOnlyList<Uri> MediaPrefixes => [.. (MediaUrlPrefixes.Count > 0 ? MediaUrlPrefixes : [TwilioMedia]).Select(p => new Uri(p))];

    /// <summary>Whether MiniCC may fetch <paramref name="url"/>: http(s), no user name or query, and under one of the prefixes.</summary>
    public bool MayFetch(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        // AbsoluteUri is normalised (host in lower case, dot segments resolved): /media/../admin is not under /media/.
        return url.IsAbsoluteUri && url.Scheme is "http" or "https" && url.UserInfo.Length == 0 && url.Query.Length == 0 && url.Fragment.Length == 0
            && MediaPrefixes.Any(p => url.AbsoluteUri.StartsWith(p.AbsoluteUri, StringComparison.Ordinal));
    }
}

internal sealed class VoicemailOptionsValidator : IValidateOptions<VoicemailOptions>
{
    public ValidateOptionsResult Validate(string? name, VoicemailOptions o)
    {
        var p = new SettingProblems(VoicemailOptions.Section);
        p.Range(nameof(o.MaxLengthSeconds), o.MaxLengthSeconds, 2, RecordOptions.MaxLengthLimit, "Twilio's Record limits");
        p.Range(nameof(o.MaxWaitSeconds), o.MaxWaitSeconds, 0, 86400, "0 is off");
        foreach (var prefix in o.MediaUrlPrefixes)
        {
            // Ending in / so that https://api.twilio.com cannot stand for https://api.twilio.com.evil.example too.
            p.Check(Uri.TryCreate(prefix, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" && u.UserInfo.Length == 0
                    && u.Query.Length == 0 && u.Fragment.Length == 0 && u.AbsolutePath.EndsWith('/') && prefix.EndsWith('/'),
                $"{p.Key(nameof(o.MediaUrlPrefixes))} holds '{prefix}'; each is an absolute http(s) URL ending in / without a user name or query, such as {VoicemailOptions.TwilioMedia}.");
        }

        return p.Result;
    }
}
