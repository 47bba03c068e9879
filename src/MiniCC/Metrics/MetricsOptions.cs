using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Metrics;

/// <summary>
/// The <c>MiniCC:Metrics</c> section: whether <c>/metrics</c> (Prometheus's text format) is served, and the bearer token a
/// scraper must send. Off by default; on, it needs a token, since the series tell an outsider how busy the center is.
/// </summary>
public sealed class MetricsOptions
{
    public const string Section = "MiniCC:Metrics";

    /// <summary>The shortest token accepted: long enough that guessing it over HTTP is hopeless.</summary>
    public const int MinTokenLength = 16;

    /// <summary>Serves <c>/metrics</c>.</summary>
    public bool Enabled { get; set; }

    /// <summary>What a scraper sends as <c>Authorization: Bearer …</c>; required when <see cref="Enabled"/>.</summary>
    public string? Token { get; set; }
}

internal sealed class MetricsOptionsValidator : IValidateOptions<MetricsOptions>
{
    public ValidateOptionsResult Validate(string? name, MetricsOptions o)
    {
        var p = new SettingProblems(MetricsOptions.Section);
        var token = o.Token ?? "";
        p.Check(!o.Enabled || token.Length >= MetricsOptions.MinTokenLength,
            $"{p.Key(nameof(o.Token))} must be at least {MetricsOptions.MinTokenLength} characters when {p.Key(nameof(o.Enabled))} is true: "
            + "Prometheus sends it as a bearer token (authorization: credentials_file: in its scrape config).");
        p.Check(!token.Any(char.IsWhiteSpace), $"{p.Key(nameof(o.Token))} cannot contain spaces.");
        return p.Result;
    }
}
