namespace MiniCC.Cli;

/// <summary>
/// What <c>minicc</c> (with no verb, or <c>serve</c>) passes on to the web host is ASP.NET's command line: host options
/// (<c>--urls</c>, …) and settings (<c>--MiniCC:Key=value</c>, <c>Key=value</c>). Anything else is a mistyped verb or
/// option: it is refused with a suggestion rather than starting a server that ignores it.
/// </summary>
internal static class UnknownArguments
{
    /// <summary>The host's own options (the rest of its command line is settings, named with their section).</summary>
    private static readonly string[] HostOptions = ["urls", "environment", "contentRoot", "applicationName", "http_ports", "https_ports"];

    /// <summary>Settings' top-level sections, which a host may also be given whole (<c>--MiniCC=</c>, as test hosts do).</summary>
    private static readonly string[] Sections = ["MiniCC", "Twilio", "Database", "ConnectionStrings", "Logging", "Kestrel", "AllowedHosts"];

    /// <summary>The error for the first argument that is neither a host option nor a setting, or null when all are.</summary>
    public static string? Find(IReadOnlyList<string> tokens, IEnumerable<string>? verbs)
    {
        ArgumentNullException.ThrowIfNull(tokens);
        for (var i = 0; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.StartsWith('-') || t.StartsWith('/'))
            {
                var name = t.TrimStart('-', '/');
                var equals = name.IndexOf('=', StringComparison.Ordinal);
                if (equals >= 0)
                {
                    name = name[..equals];
                }
                else
                {
                    i++; // its value
                }

                if (!IsSetting(name) && !HostOptions.Contains(name, StringComparer.OrdinalIgnoreCase) && !Sections.Contains(name, StringComparer.OrdinalIgnoreCase))
                {
                    return $"unknown option '{t}'{Suggest(name, HostOptions, "--")}. Settings are given with their section (--MiniCC:Key=value); see minicc --help.";
                }
            }
            else if (!t.Contains('=', StringComparison.Ordinal))
            {
                return i == 0 && verbs is not null
                    ? $"unknown verb '{t}'{Suggest(t, verbs, "")}. The verbs: {string.Join(", ", verbs)} (minicc --help)."
                    : $"unexpected argument '{t}' (minicc --help).";
            }
        }

        return null;
    }

    private static bool IsSetting(string name) => name.Contains(':', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal);

    private static string Suggest(string typed, IEnumerable<string> known, string prefix)
    {
        var best = known
            .Select(k => (Known: k, Distance: EditDistance.Between(typed, k)))
            .Where(k => k.Distance <= Math.Max(2, typed.Length / 3)
                        || k.Known.StartsWith(typed, StringComparison.OrdinalIgnoreCase)
                        || typed.StartsWith(k.Known, StringComparison.OrdinalIgnoreCase))
            .OrderBy(k => k.Distance)
            .Select(k => k.Known)
            .FirstOrDefault();
        return best is null ? "" : $"; did you mean '{prefix}{best}'?";
    }
}
