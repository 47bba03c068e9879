using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MiniCC.Twilio.Security;

namespace MiniCC.Emulator;

/// <summary>An answer Twilio fetched: what the call does with it depends on its <see cref="MediaType"/>.</summary>
internal sealed record Fetched(string Url, string Body, string? MediaType);

/// <summary>The transport: Twilio's HTTP requests (signed, with Basic auth after a challenge) and what makes one fail.</summary>
public sealed partial class TwilioEmulator
{
    /// <summary>Requests <paramref name="url"/> (resolved against <paramref name="baseUrl"/>) as Twilio does; null when it failed (the error is recorded).</summary>
    internal async Task<Fetched?> FetchAsync(EmulatedCall call, string url, string? baseUrl, string method, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var absolute = Resolve(url, baseUrl);
        var list = parameters.ToList();
        if (++call.Requests > Options.MaxRequestsPerCall)
        {
            Error(call, absolute.ToString(), $"more than {Options.MaxRequestsPerCall} requests for one call (a TwiML loop?)", 0);
            return null;
        }

        HttpResponseMessage? response = null;
        try
        {
            response = await SendAsync(absolute, method, list, withCredentials: call.UseCredentials);
            if (response.StatusCode == HttpStatusCode.Unauthorized && !call.UseCredentials && Options.BasicAuthUsername is not null &&
                response.Headers.WwwAuthenticate.Any(h => h.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)))
            {
                // Twilio's challenge flow: ask again with the credentials, and keep using them for this call.
                response.Dispose();
                call.UseCredentials = true;
                response = await SendAsync(absolute, method, list, withCredentials: true);
            }

            var body = await response.Content.ReadAsStringAsync();
            call.Record(new Exchange(Now, method, absolute.ToString(), list, (int)response.StatusCode, body));
            Trace?.Invoke($"{Now:HH:mm:ss} {call.CallSid} {method} {absolute.PathAndQuery} -> {(int)response.StatusCode} {Shorten(body)}");
            if (!response.IsSuccessStatusCode)
            {
                Error(call, absolute.ToString(), $"HTTP {(int)response.StatusCode} (error 11200)", 11200);
                return null;
            }

            if (Encoding.UTF8.GetByteCount(body) > Options.MaxResponseBytes)
            {
                Error(call, absolute.ToString(), $"response larger than {Options.MaxResponseBytes} bytes (error 11750)", 11750);
                return null;
            }

            return new Fetched(absolute.ToString(), body, response.Content.Headers.ContentType?.MediaType);
        }
        catch (HttpRequestException ex)
        {
            Error(call, absolute.ToString(), "request failed (error 11205): " + ex.Message, 11205);
            return null;
        }
        finally
        {
            response?.Dispose();
        }
    }

    private async Task<HttpResponseMessage> SendAsync(Uri url, string method, List<KeyValuePair<string, string>> parameters, bool withCredentials)
    {
        HttpRequestMessage request;
        string signedUrl;
        if (method == "GET")
        {
            var query = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            var withQuery = new UriBuilder(url) { Query = string.IsNullOrEmpty(url.Query) ? query : url.Query.TrimStart('?') + "&" + query }.Uri;
            request = new HttpRequestMessage(HttpMethod.Get, withQuery);
            signedUrl = withQuery.AbsoluteUri;
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(parameters) };
            signedUrl = url.AbsoluteUri;
        }

        if (Options.AuthToken is { Length: > 0 } token)
        {
            request.Headers.Add(RequestSignature.HeaderName, RequestSignature.Compute(token, signedUrl, method == "GET" ? null : parameters));
        }

        if (withCredentials)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.BasicAuthUsername}:{Options.BasicAuthPassword}")));
        }

        request.Headers.Add("I-Twilio-Idempotency-Token", NewSid("ID")[2..]);
        request.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
        using (request)
        {
            return await _http.SendAsync(request);
        }
    }

    private Uri Resolve(string url, string? baseUrl)
    {
        var root = _http.BaseAddress ?? new Uri("http://localhost/");
        var b = baseUrl is null ? root : new Uri(root, baseUrl);
        return new Uri(b, url);
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
