using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Storage;

/// <summary>
/// One thing to record: a webhook (parsed once, at the edge), when it arrived, and what MiniCC decided.
/// There is a record per kind (<see cref="CallEvents"/>), each with the SQL it derives. An event is
/// self-contained so that it can wait in the spool while the database is away and be applied later exactly
/// as it would have been at <see cref="At"/>; in the spool it is one JSON line whose <c>Kind</c> names the record.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "Kind")]
[JsonDerivedType(typeof(Incoming), Incoming.Name)]
[JsonDerivedType(typeof(SignIn), SignIn.Name)]
[JsonDerivedType(typeof(PinFailed), PinFailed.Name)]
[JsonDerivedType(typeof(MenuChoice), MenuChoice.Name)]
[JsonDerivedType(typeof(Waiting), Waiting.Name)]
[JsonDerivedType(typeof(Pickup), Pickup.Name)]
[JsonDerivedType(typeof(QueueExit), QueueExit.Name)]
[JsonDerivedType(typeof(CallEnd), CallEnd.Name)]
[JsonDerivedType(typeof(OperatorStateChanged), OperatorStateChanged.Name)]
[JsonDerivedType(typeof(QueueLeaving), QueueLeaving.Name)]
[JsonDerivedType(typeof(CallbackRequested), CallbackRequested.Name)]
[JsonDerivedType(typeof(CallbackDialed), CallbackDialed.Name)]
[JsonDerivedType(typeof(CallbackEnded), CallbackEnded.Name)]
[JsonDerivedType(typeof(CallbackAnswered), CallbackAnswered.Name)]
[JsonDerivedType(typeof(CallRecorded), CallRecorded.Name)]
[JsonDerivedType(typeof(VoicemailOffered), VoicemailOffered.Name)]
[JsonDerivedType(typeof(VoicemailRecorded), VoicemailRecorded.Name)]
[JsonDerivedType(typeof(RecordingStatusChanged), RecordingStatusChanged.Name)]
public abstract record HistoryEvent
{
    /// <summary>The longest <see cref="Id"/> the event log's <c>dedupe_key</c> column holds.</summary>
    public const int MaxIdLength = 80;

    /// <summary>Events are dated between these (UTC): anything else is a corrupt or forged line, not history.</summary>
    private static readonly long EarliestAt = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    private static readonly long LatestAt = new DateTimeOffset(2200, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();

    /// <summary>How spool lines are written and read (the kind may come anywhere in a line edited by hand).</summary>
    public static readonly JsonSerializerOptions Json = new() { AllowOutOfOrderMetadataProperties = true };

    /// <summary>The kind, as stored in <c>call_events.kind</c> (and in the spool).</summary>
    [JsonIgnore]
    public string Kind => KindName;

    /// <summary>The record's kind name (not a property of its own in JSON: there it is the discriminator).</summary>
    protected abstract string KindName { get; }

    /// <summary>When it happened, UTC Unix milliseconds.</summary>
    public required long At { get; init; }

    /// <summary>Unique per delivery; makes a replay of an event without a natural key land once.</summary>
    public required string Id { get; init; }

    /// <summary>The webhook; in the spool, every parameter as Twilio sent it (parsed again when read back).</summary>
    [JsonPropertyName("Params")]
    [JsonConverter(typeof(WebhookJson))]
    public required VoiceWebhook Hook { get; init; }

    /// <summary>The call this event belongs to (null only in a corrupt spool line).</summary>
    [JsonIgnore]
    public string? CallSid => Hook?.CallSid;

    /// <summary>With the call and the kind, what makes this event unique in the event log (a retry or replay lands once).</summary>
    internal abstract string DedupeKey { get; }

    /// <summary>Adds the statements that derive the report tables from this event (run only when the event is new).</summary>
    internal abstract void Derive(SqlBatch sql, long now);

    /// <summary>
    /// An id for a webhook's event: the delivery's <c>I-Twilio-Idempotency-Token</c> when Twilio sent one (a retry
    /// carries the same token), otherwise a new one.
    /// </summary>
    public static string IdFor(VoiceWebhook hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return hook.IdempotencyToken is { } token ? FitId(hook.CallSid + ":" + token) : Guid.NewGuid().ToString("N");
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
    public string? Problem()
    {
        if (Hook is null)
        {
            return "it has no parameters";
        }

        if (At < EarliestAt || At > LatestAt)
        {
            return $"its time {At} is not between 2000 and 2200";
        }

        if (string.IsNullOrEmpty(Id) || Id.Length > MaxIdLength)
        {
            return $"its id is empty or longer than {MaxIdLength} characters";
        }

        return DecisionProblem();
    }

    /// <summary>Why what MiniCC decided (an operator, a queue, a choice) cannot be stored, or null.</summary>
    protected virtual string? DecisionProblem() => null;

    /// <summary>A queue name fits <c>queue_visits.queue_name</c>; an entry is 1 to 9.</summary>
    protected static string? QueueProblem(string? queue, int? entry) =>
        queue is null or { Length: > 64 } ? "its queue name is missing or longer than its column"
        : entry is < 1 or > 9 ? "its queue entry is out of range"
        : null;

    /// <summary>An operator id fits <c>calls.operator_id</c>.</summary>
    protected static string? OperatorProblem(long? operatorId) =>
        operatorId is < 1 or > int.MaxValue ? "its operator id is out of range" : null;

    /// <summary>
    /// Writes a webhook as its parameters (what Twilio sent), and reads them back through the same parser as a live
    /// request, so a spooled line is held to the same rules.
    /// </summary>
    private sealed class WebhookJson : JsonConverter<VoiceWebhook>
    {
        public override VoiceWebhook Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            var all = JsonSerializer.Deserialize<Dictionary<string, string?>>(ref reader, options)
                ?? throw new JsonException("Params is not an object.");
            if (all.Any(p => p.Value is null))
            {
                throw new JsonException("a parameter has no value.");
            }

            var parsed = VoiceWebhook.Parse(all.Select(p => KeyValuePair.Create(p.Key, (IReadOnlyList<string?>)[p.Value])));
            return parsed.Webhook ?? throw new JsonException("its parameters are invalid: " + parsed.Error);
        }

        public override void Write(Utf8JsonWriter writer, VoiceWebhook value, JsonSerializerOptions options) =>
            JsonSerializer.Serialize(writer, value.All, options);
    }
}
