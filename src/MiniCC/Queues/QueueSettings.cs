using Microsoft.Extensions.Options;
using MiniCC.Settings;
using MiniCC.Voice;

namespace MiniCC.Queues;

/// <summary>
/// One of the center's queues (<c>MiniCC:Queues:N</c>): a team's callers wait in it, and the operators whose skills
/// name it take them. <see cref="Priority"/> puts one queue's callers before another's.
/// </summary>
public sealed class QueueSettings
{
    /// <summary>MiniCC's name of the queue: what the menu's queue nodes, the skills, the history and the reports say.</summary>
    public string Name { get; set; } = "";

    /// <summary>The queue's name at Twilio (<c>&lt;Enqueue&gt;</c>, <c>&lt;Queue&gt;</c>); empty: <see cref="Name"/>.</summary>
    public string? TwilioName { get; set; }

    /// <summary>What its callers hear while they wait; empty: <c>MiniCC:HoldMusicUrl</c>.</summary>
    public string? HoldMusicUrl { get; set; }

    /// <summary>A higher number is served first: an operator ready for several queues takes this one's callers before the others', however long those waited.</summary>
    public int Priority { get; set; }

    /// <summary>Said to its callers in every wait document, after their place and the estimate (a team's own words); none: nothing more.</summary>
    public List<Menu.MenuText> Announcement { get; set; } = [];

    /// <summary>A caller who has waited this long is offered voicemail (as <c>MiniCC:Voicemail:MaxWaitSeconds</c>, which it replaces for this queue; 0: never).</summary>
    public int? MaxWaitSeconds { get; set; }

    /// <summary>T in its service level, "X % answered within T seconds"; empty: <c>MiniCC:Reports:ServiceLevelSeconds</c>.</summary>
    public int? ServiceLevelSeconds { get; set; }

    /// <summary>Its service-level target in percent (reports, wallboard, Erlang C); empty: <c>MiniCC:Reports:ServiceLevelTargetPercent</c>.</summary>
    public double? ServiceLevelTargetPercent { get; set; }

    /// <summary>Its conversations are recorded (from the answer, one channel per party), and listed with their calls.</summary>
    public bool Record { get; set; }

    /// <summary>Before a caller is queued, they hear that the call will be recorded (<c>MiniCC:Prompts:RecordingNotice</c>); empty: as <see cref="Record"/>.</summary>
    public bool? RecordingNotice { get; set; }

    /// <summary>Whether its callers hear the recording notice.</summary>
    public bool Announces => Record && (RecordingNotice ?? true);

    /// <summary>The name at Twilio.</summary>
    public string Twilio => string.IsNullOrEmpty(TwilioName) ? Name : TwilioName;
}

/// <summary>
/// The center's queues: <c>MiniCC:Queues</c>, or, when none is configured, the one queue <c>MiniCC:QueueName</c> with
/// <c>MiniCC:HoldMusicUrl</c>, as it always was. The first is the default: where a menu's queue node without a name sends.
/// </summary>
public sealed class QueueDirectory
{
    private readonly Dictionary<string, QueueSettings> _byName;

    public QueueDirectory(IOptions<VoiceOptions> voice)
    {
        var v = voice.Value;
        All = v.Queues.Count > 0
            ? [.. v.Queues.Select(q => new QueueSettings
            {
                Name = q.Name, TwilioName = q.TwilioName, HoldMusicUrl = q.HoldMusicUrl ?? v.HoldMusicUrl, Priority = q.Priority, Record = q.Record,
                RecordingNotice = q.RecordingNotice, Announcement = q.Announcement, MaxWaitSeconds = q.MaxWaitSeconds,
                ServiceLevelSeconds = q.ServiceLevelSeconds, ServiceLevelTargetPercent = q.ServiceLevelTargetPercent,
            })]
            : [new QueueSettings { Name = v.QueueName, HoldMusicUrl = v.HoldMusicUrl }];
        _byName = All.ToDictionary(q => q.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<QueueSettings> All { get; }

    public QueueSettings Default => All[0];

    /// <summary>The queue named <paramref name="name"/>; none (or a name no longer configured): the default, so that a caller is never dropped.</summary>
    public QueueSettings Find(string? name) => name is not null && _byName.TryGetValue(name, out var q) ? q : Default;

    /// <summary>Whether <paramref name="name"/> is one of the queues.</summary>
    public bool Has(string? name) => name is not null && _byName.ContainsKey(name);

    /// <summary>The problems of <c>MiniCC:Queues</c>, each naming its key.</summary>
    internal static void Check(VoiceOptions o, SettingProblems p)
    {
        p.Check(o.Queues.Count <= 100, $"{p.Key("Queues")} lists {o.Queues.Count} queues; at most 100.");
        var names = new HashSet<string>(StringComparer.Ordinal);
        var twilioNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < o.Queues.Count; i++)
        {
            var q = o.Queues[i];
            var key = $"Queues:{i}:";
            p.Check(IsName(q.Name), $"{p.Key(key + nameof(q.Name))} is '{q.Name}': a queue's name is 1 to 32 lower-case letters, digits and hyphens, starting with a letter or digit.");
            p.Check(names.Add(q.Name), $"{p.Key(key + nameof(q.Name))} '{q.Name}' names a queue twice.");
            p.Check(q.Twilio.Length <= 64 && q.Twilio.Trim() == q.Twilio, $"{p.Key(key + nameof(q.TwilioName))} must be at most 64 characters, without spaces at its ends.");
            p.Check(twilioNames.Add(q.Twilio), $"{p.Key(key + nameof(q.TwilioName))} '{q.Twilio}' is the Twilio queue of two queues.");
            p.Check(string.IsNullOrEmpty(q.HoldMusicUrl) || (Uri.TryCreate(q.HoldMusicUrl, UriKind.Absolute, out var u) && u.Scheme is "http" or "https"),
                $"{p.Key(key + nameof(q.HoldMusicUrl))} must be empty or an absolute http(s) URL.");
            p.Range(key + nameof(q.Priority), q.Priority, -100, 100);
            if (q.MaxWaitSeconds is { } most)
            {
                p.Range(key + nameof(q.MaxWaitSeconds), most, 0, 86400, "0 is never");
            }

            if (q.ServiceLevelSeconds is { } within)
            {
                p.Range(key + nameof(q.ServiceLevelSeconds), within, 1, 3600);
            }

            p.Check(q.ServiceLevelTargetPercent is null or (> 0 and < 100),
                $"{p.Key(key + nameof(q.ServiceLevelTargetPercent))} must be above 0 and below 100.");
            for (var a = 0; a < q.Announcement.Count; a++)
            {
                var t = q.Announcement[a];
                var at = p.Key($"{key}{nameof(q.Announcement)}:{a}");
                p.Check(string.IsNullOrWhiteSpace(t.Prompt) && (t.AudioUrl is null ? !string.IsNullOrWhiteSpace(t.Ja) && !string.IsNullOrWhiteSpace(t.En)
                        : Uri.TryCreate(t.AudioUrl, UriKind.Absolute, out var audio) && audio.Scheme is "http" or "https" && t.Ja is null && t.En is null),
                    $"{at} must be a text in both languages ({{\"Ja\": \"…\", \"En\": \"…\"}}) or an absolute http(s) AudioUrl.");
            }
            p.Check(q.Record || q.RecordingNotice != true, $"{p.Key(key + nameof(q.RecordingNotice))} is true but {p.Key(key + nameof(q.Record))} is not: callers would hear of a recording that is not made.");
        }
    }

    /// <summary>A queue's name as MiniCC writes it in URLs and the history.</summary>
    public static bool IsName(string? name) =>
        name is { Length: >= 1 and <= 32 } && char.IsAsciiLetterOrDigit(name[0]) && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-');
}
