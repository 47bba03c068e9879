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

    public static HistoryEvent Of(string kind, VoiceWebhook hook, DateTimeOffset at, string? id = null)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return new HistoryEvent
        {
            Kind = kind,
            At = at.ToUnixTimeMilliseconds(),
            Id = id ?? Guid.NewGuid().ToString("N"),
            Params = hook.All,
        };
    }
}
