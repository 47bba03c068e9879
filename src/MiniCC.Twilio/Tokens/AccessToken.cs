using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Twilio.Tokens;

/// <summary>What a Voice SDK device may do: receive calls to its identity, and place calls through a TwiML App.</summary>
/// <param name="IncomingAllow">Calls to <c>client:&lt;identity&gt;</c> ring this device.</param>
/// <param name="OutgoingApplicationSid">The TwiML App (<c>AP…</c>) whose Voice URL answers the device's calls; null: no outgoing calls.</param>
/// <param name="OutgoingParams">Parameters Twilio adds to that Voice URL request; null or empty: none.</param>
public sealed record VoiceGrant(bool IncomingAllow, string? OutgoingApplicationSid, IReadOnlyDictionary<string, string>? OutgoingParams = null);

/// <summary>
/// Twilio Access Tokens for the Voice JavaScript SDK: a compact HS256 JWT with the header
/// <c>{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}</c>, issued by an API Key (<c>iss</c> = its SID, signed with its
/// secret, never the Auth Token) for an account (<c>sub</c>), with <c>jti</c> = <c>&lt;key SID&gt;-&lt;issued at&gt;</c>,
/// <c>nbf</c>, <c>exp</c> and the grants (identity and voice).
/// </summary>
/// <remarks>
/// Written here rather than with a JWT library: the header must carry Twilio's <c>cty</c>, and the claims are written in
/// a fixed order so that a token is byte-for-byte reproducible in tests. The tests check every token with an
/// independent JWT library (Microsoft.IdentityModel.JsonWebTokens).
/// </remarks>
public static class AccessToken
{
    /// <summary>Twilio's libraries' default lifetime.</summary>
    public static readonly TimeSpan DefaultTtl = TimeSpan.FromHours(1);

    /// <summary>The longest lifetime Twilio accepts (a longer one is refused with error 20157).</summary>
    public static readonly TimeSpan MaxTtl = TimeSpan.FromHours(24);

    /// <summary>The longest identity the Voice JavaScript SDK accepts.</summary>
    public const int MaxIdentityLength = 121;

    private static readonly byte[] Header = """{"alg":"HS256","typ":"JWT","cty":"twilio-fpa;v=1"}"""u8.ToArray();

    /// <summary>
    /// A token for <paramref name="identity"/> valid from <paramref name="now"/> for <paramref name="ttl"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A SID is malformed, the secret is empty, the identity breaks the SDK's rules,
    /// or the lifetime is not between one second and <see cref="MaxTtl"/>.</exception>
    public static string Create(string accountSid, string apiKeySid, string apiKeySecret, string identity, VoiceGrant grant,
        DateTimeOffset now, TimeSpan ttl)
    {
        ArgumentNullException.ThrowIfNull(grant);
        Check(Sid.IsValid(accountSid, "AC"), nameof(accountSid), "The account SID is AC followed by 32 hex digits.");
        Check(Sid.IsValid(apiKeySid, "SK"), nameof(apiKeySid), "The API Key SID is SK followed by 32 hex digits.");
        Check(!string.IsNullOrEmpty(apiKeySecret), nameof(apiKeySecret), "The API Key secret is empty.");
        Check(IdentityProblem(identity) is null, nameof(identity), IdentityProblem(identity) ?? "");
        Check(grant.OutgoingApplicationSid is null || Sid.IsValid(grant.OutgoingApplicationSid, "AP"), nameof(grant),
            "The TwiML App SID is AP followed by 32 hex digits.");
        Check(ttl >= TimeSpan.FromSeconds(1) && ttl <= MaxTtl, nameof(ttl), "A token lives between 1 second and 24 hours (Twilio refuses longer ones).");

        var issued = now.ToUnixTimeSeconds();
        var payload = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(payload))
        {
            json.WriteStartObject();
            json.WriteString("jti", $"{apiKeySid}-{issued}");
            json.WriteString("iss", apiKeySid);
            json.WriteString("sub", accountSid);
            json.WriteNumber("nbf", issued);
            json.WriteNumber("exp", issued + (long)ttl.TotalSeconds);
            json.WriteStartObject("grants");
            json.WriteString("identity", identity);
            json.WriteStartObject("voice");
            if (grant.IncomingAllow)
            {
                json.WriteStartObject("incoming");
                json.WriteBoolean("allow", true);
                json.WriteEndObject();
            }

            if (grant.OutgoingApplicationSid is { } app)
            {
                json.WriteStartObject("outgoing");
                json.WriteString("application_sid", app);
                if (grant.OutgoingParams is { Count: > 0 } parameters)
                {
                    json.WriteStartObject("params");
                    foreach (var (key, value) in parameters)
                    {
                        json.WriteString(key, value);
                    }

                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
            json.WriteEndObject();
        }

        var signed = Base64Url.EncodeToString(Header) + "." + Base64Url.EncodeToString(payload.WrittenSpan);
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(apiKeySecret), Encoding.ASCII.GetBytes(signed));
        return signed + "." + Base64Url.EncodeToString(signature);
    }

    /// <summary>Why <paramref name="identity"/> cannot be a Voice SDK identity, or null when it can: 1–121 of <c>[A-Za-z0-9_]</c>.</summary>
    public static string? IdentityProblem(string? identity) =>
        string.IsNullOrEmpty(identity) ? "The identity is empty."
        : identity.Length > MaxIdentityLength ? $"The identity is longer than {MaxIdentityLength} characters."
        : !TwiML.ClientIdentity.IsValid(identity) ? "The identity may hold only A–Z, a–z, 0–9 and _."
        : null;

    private static void Check(bool ok, string parameter, string problem)
    {
        if (!ok)
        {
            throw new ArgumentException(problem, parameter);
        }
    }
}
