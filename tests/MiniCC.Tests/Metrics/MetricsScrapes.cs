namespace MiniCC.Tests.Metrics;

/// <summary>
/// OpenTelemetry listens to every meter of a name in the process, whichever host made it: a test that counts webhooks
/// must not run beside other tests' hosts, whose webhooks it would count too. This collection runs alone.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsScrapes
{
    public const string Name = "Metrics";

    public const string Token = "metrics-token-0123456789abcdef";

    /// <summary>MiniCC with metrics on (and two queues, so that the per-queue gauges have something to tell apart).</summary>
    public static Dictionary<string, string?> Settings() => new()
    {
        ["MiniCC:Metrics:Enabled"] = "true",
        ["MiniCC:Metrics:Token"] = Token,
        ["MiniCC:Queues:0:Name"] = "support",
        ["MiniCC:Queues:1:Name"] = "sales",
    };
}

/// <summary>One sample of Prometheus's text format: <c>name{label="value",…} 12</c>.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, double Value)
{
    /// <summary>The samples of a scrape (comments and blank lines left out).</summary>
    public static IReadOnlyList<Sample> Parse(string text)
    {
        var samples = new List<Sample>();
        foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (line.StartsWith('#'))
            {
                continue;
            }

            var open = line.IndexOf('{', StringComparison.Ordinal);
            var close = line.LastIndexOf('}');
            var name = open < 0 ? line[..line.IndexOf(' ', StringComparison.Ordinal)] : line[..open];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (open >= 0)
            {
                foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(line[(open + 1)..close], "([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\""))
                {
                    labels[m.Groups[1].Value] = m.Groups[2].Value;
                }
            }

            var rest = line[((open < 0 ? name.Length : close + 1))..].Trim().Split(' ');
            samples.Add(new Sample(name, labels, double.Parse(rest[0], System.Globalization.CultureInfo.InvariantCulture)));
        }

        return samples;
    }

    public bool Has(params (string Key, string Value)[] labels) => labels.All(l => Labels.TryGetValue(l.Key, out var v) && v == l.Value);
}
