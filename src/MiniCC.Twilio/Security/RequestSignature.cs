using System.Security.Cryptography;
using System.Text;

namespace MiniCC.Twilio.Security;

/// <summary>
/// Computes and checks <c>X-Twilio-Signature</c>: HMAC-SHA1, keyed with the auth token, over the full
/// URL followed by each POST parameter's name and value in ordinal order of the names; Base64.
/// </summary>
public static class RequestSignature
{
    /// <summary>The header Twilio puts the signature in.</summary>
    public const string HeaderName = "X-Twilio-Signature";

    /// <summary>Computes the signature of a request.</summary>
    /// <param name="authToken">The account's primary auth token.</param>
    /// <param name="url">The full URL Twilio requested, query string included.</param>
    /// <param name="formParameters">The POST form parameters as received, one pair per field (none for GET); names
    /// that differ only in case are separate parameters. Repeated names are sorted by value.</param>
    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>>? formParameters)
    {
        ArgumentNullException.ThrowIfNull(authToken);
        ArgumentNullException.ThrowIfNull(url);
        var sb = new StringBuilder(url);
        if (formParameters is not null)
        {
            foreach (var (key, value) in formParameters
                         .OrderBy(p => p.Key, StringComparer.Ordinal)
                         .ThenBy(p => p.Value, StringComparer.Ordinal))
            {
                sb.Append(key).Append(value);
            }
        }

#pragma warning disable CA5350 // Twilio's protocol defines HMAC-SHA1; the choice is not ours.
        var mac = HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(sb.ToString()));
#pragma warning restore CA5350
        return Convert.ToBase64String(mac);
    }

    /// <summary>
    /// Checks <paramref name="signature"/> in constant time against the URL as given and its port variant
    /// (without an explicit port, and with the scheme's default port), as Twilio's own libraries do.
    /// </summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>>? formParameters, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }

        var parameters = formParameters?.ToList();
        var expected = Encoding.UTF8.GetBytes(signature);
        var ok = false;
        foreach (var candidate in UrlVariants(url))
        {
            var actual = Encoding.UTF8.GetBytes(Compute(authToken, candidate, parameters));
            // Evaluate every variant so the time taken does not depend on which one matched.
            ok |= CryptographicOperations.FixedTimeEquals(actual, expected);
        }

        return ok;
    }

    /// <summary>The URL as given, and the same URL with its port removed or the default port added.</summary>
    public static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != "http" && uri.Scheme != "https"))
        {
            yield break;
        }

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal) + 3;
        var pathStart = url.IndexOfAny(['/', '?', '#'], schemeEnd);
        var authority = pathStart < 0 ? url[schemeEnd..] : url[schemeEnd..pathStart];
        var rest = pathStart < 0 ? "" : url[pathStart..];
        var at = authority.LastIndexOf('@');
        var userInfo = at >= 0 ? authority[..(at + 1)] : "";
        var hostPort = authority[(at + 1)..];
        var colon = hostPort.LastIndexOf(':');
        var hasPort = colon >= 0 && !hostPort.EndsWith(']');
        var host = hasPort ? hostPort[..colon] : hostPort;
        var prefix = url[..schemeEnd] + userInfo + host;
        yield return hasPort ? prefix + rest : prefix + ":" + (uri.Scheme == "https" ? "443" : "80") + rest;
    }
}
