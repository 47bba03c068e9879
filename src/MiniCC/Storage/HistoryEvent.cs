using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Storage;

/// <summary>
/// One thing to record: a webhook's parameters, when it arrived, and what MiniCC decided.
/// It is self-contained so that it can wait in the spool while the database is away and be
/// applied later exactly as it would have been at <see cref="At"/>.
/// </summary>
public sealed record HistoryEvent
{
    /// <summary>The longest <see cref="Id"/> the event log's <c>dedupe_key</c> column holds.</summary>
    public const int MaxIdLength = 80;

    /// <summary>Events are dated between these (UTC): anything else is a corrupt or forged line, not history.</summary>
    private static readonly long EarliestAt = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long LatestAt = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>One of <see cref="HistoryStore.Kinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>When it happened, UTC Unix milliseconds.</summary>
    public required long At { get; init; }

    /// <summary>Unique per event; makes a replay of an event without a natural key land once.</summary>
    public required string Id { get; init; }

    /// <summary>Every webhook parameter as Twilio sent it.</summary>
    public required IReadOnlyDictionary<string, string> Params { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Queue { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? OperatorId { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? OperatorPhone { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Choice { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? Attempt { get; init; }

    /// <summary>Which entry into the queue this visit's event belongs to: 2 after the caller was put back once; null for the first.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? QueueEntry { get; init; }

    /// <summary>
    /// Set on a queue exit that MiniCC answered by putting the caller back in the queue (Twilio reported
    /// <c>error</c> or <c>system-error</c>): the visit goes on, so the exit is logged but does not close it.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public bool Requeued { get; init; }

    /// <summary>The call this event belongs to (null only in a corrupt spool line).</summary>
    [JsonIgnore]
    public string? CallSid => Params?.GetValueOrDefault("CallSid");

    public static HistoryEvent Of(string kind, VoiceWebhook hook, DateTimeOffset at, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return new HistoryEvent
        {
            Kind = kind,
            At = at.ToUnixTimeMilliseconds(),
            Id = FitId(id ?? Guid.NewGuid().ToString("N")),
            Params = hook.All,
        };
    }

    /// <summary>
    /// An id that fits the <c>dedupe_key</c> column on every database: kept as it is when short enough,
    /// otherwise its prefix and a SHA-256 of the whole (so distinct ids stay distinct).
    /// </summary>
    public static string FitId(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        if (id.Length <= MaxIdLength)
        {
            return id;
        }

        var hash = Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(id))).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return id[..(MaxIdLength - hash.Length - 1)] + "~" + hash;
    }

    /// <summary>
    /// Why this event cannot be stored as it is, or null. Checked before an event is written or spooled,
    /// and again on each spooled line before it is replayed, so a line the database could not hold never
    /// reaches it (and never blocks the lines behind it).
    /// </summary>
    public string? Problem() => Problem(out _);

    /// <summary>As <see cref="Problem()"/>; when there is none, <paramref name="hook"/> is the parsed webhook.</summary>
    public string? Problem(out VoiceWebhook? hook)
    {
        hook = null;
        if (Params is null)
        {
            return "it has no parameters";
        }

        if (!Sid.IsValid(CallSid, "CA"))
        {
            return "its CallSid is missing or malformed";
        }

        if (!HistoryStore.Kinds.All.Contains(Kind ?? ""))
        {
            return $"its kind '{Shorten(Kind)}' is unknown";
        }

        if (At < EarliestAt || At > LatestAt)
        {
            return $"its time {At} is not between 2000 and 2200";
        }

        if (string.IsNullOrEmpty(Id) || Id.Length > MaxIdLength)
        {
            return $"its id is empty or longer than {MaxIdLength} characters";
        }

        if (OperatorId is < 1 or > int.MaxValue)
        {
            return "its operator id is out of range";
        }

        if (Queue is { Length: > 64 } || OperatorPhone is { Length: > 32 } || Choice is { Length: > 20 })
        {
            return "a decision (queue, operator phone or menu choice) is longer than its column";
        }

        if (QueueEntry is < 1 or > 9)
        {
            return "its queue entry is out of range";
        }

        if (Params.Any(p => p.Key is null || p.Value is null))
        {
            return "a parameter has no name or no value";
        }

        var parsed = VoiceWebhook.Parse(Params.Select(p => KeyValuePair.Create(p.Key, (IReadOnlyList<string?>)[p.Value])));
        hook = parsed.Webhook;
        return hook is null ? "its parameters are invalid: " + parsed.Error : null;
    }

    private static string Shorten(string? s) => s is null ? "" : s.Length <= 20 ? s : s[..20] + "…";
}
