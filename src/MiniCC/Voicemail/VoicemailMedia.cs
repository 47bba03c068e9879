using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using MiniCC.Security;

namespace MiniCC.Voicemail;

/// <summary>
/// Streams a recording from where Twilio keeps it to the page's player, so that the browser never needs Twilio's
/// credentials and the recording URL never leaves MiniCC. MP3 (the URL with <c>.mp3</c>): every browser plays it, and
/// it is about a sixth of the WAV Twilio would otherwise send (8 kHz 16-bit PCM), which matters on a phone's connection.
/// With <c>Twilio:AccountSid</c> and <c>Twilio:AuthToken</c> both set, the request carries them (HTTP Basic) so that
/// media protected by "Enforce HTTP Auth on Media URLs" plays; never to another host after a redirect, and never in
/// clear text (only over https, or to this machine). Only URLs under <c>MiniCC:Voicemail:MediaUrlPrefixes</c> are ever
/// requested, redirects included.
/// </summary>
public sealed partial class VoicemailMedia(IHttpClientFactory clients, IOptions<VoicemailOptions> options, IOptions<TwilioOptions> twilio,
    ILogger<VoicemailMedia> log)
{
    public const string ClientName = "MiniCC.VoicemailMedia";

    /// <summary>Twilio answers a media request with at most a redirect or two (http to https, a storage URL).</summary>
    public const int MaxRedirects = 3;

    /// <summary>How long Twilio may take to start answering; the body then streams for as long as the player reads.</summary>
    public static readonly TimeSpan HeadersTimeout = TimeSpan.FromSeconds(30);

    public const string Extension = ".mp3";

    /// <summary>One range, as a player asks to seek (<c>bytes=1000-</c>, <c>bytes=0-1</c>); anything else is not passed on.</summary>
    [GeneratedRegex(@"^bytes=(\d{1,15}-\d{0,15}|-\d{1,15})$")]
    private static partial Regex SimpleRange();

    public static IServiceCollection AddVoicemailMedia(IServiceCollection services)
    {
        // Redirects are followed here, one by one, to check each target and decide each time whether the credentials go.
        services.AddHttpClient(ClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                ConnectTimeout = TimeSpan.FromSeconds(10),
            });
        services.AddSingleton<VoicemailMedia>();
        return services;
    }

    /// <summary>The recording at <paramref name="recordingUrl"/> as a response to the player: its audio, or a 404/502 that says why.</summary>
    public async Task<IResult> StreamAsync(string callSid, string recordingUrl, string? range, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(recordingUrl);
        var url = recordingUrl.EndsWith(".mp3", StringComparison.OrdinalIgnoreCase) || recordingUrl.EndsWith(".wav", StringComparison.OrdinalIgnoreCase)
            ? recordingUrl
            : recordingUrl + Extension;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var first) || !options.Value.MayFetch(first))
        {
            NotFetched(log, callSid, "outside MiniCC:Voicemail:MediaUrlPrefixes");
            return Failed(StatusCodes.Status502BadGateway,
                "The recording's URL is not under MiniCC:Voicemail:MediaUrlPrefixes, so MiniCC does not fetch it.");
        }

        var client = clients.CreateClient(ClientName);
        var target = first;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            HttpResponseMessage response;
            using (var request = Request(target, first, range))
            using (var headers = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                headers.CancelAfter(HeadersTimeout);
                try
                {
                    response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, headers.Token);
                }
                catch (Exception ex) when (ex is HttpRequestException || (ex is OperationCanceledException && !ct.IsCancellationRequested))
                {
                    NotFetched(log, callSid, ex.Message);
                    return Failed(StatusCodes.Status502BadGateway, "The recording could not be fetched: " + ex.Message);
                }
            }

            if (IsRedirect(response.StatusCode))
            {
                var location = response.Headers.Location;
                response.Dispose();
                if (location is null || !Uri.TryCreate(target, location, out var next) || !options.Value.MayFetch(next))
                {
                    NotFetched(log, callSid, "redirected outside MiniCC:Voicemail:MediaUrlPrefixes");
                    return Failed(StatusCodes.Status502BadGateway,
                        "The recording's host redirected to a URL that is not under MiniCC:Voicemail:MediaUrlPrefixes; MiniCC did not follow it.");
                }

                target = next;
                continue;
            }

            if (response.IsSuccessStatusCode)
            {
                return new ProxiedAudio(response);
            }

            var status = (int)response.StatusCode;
            response.Dispose();
            NotFetched(log, callSid, $"the host answered {status}");
            return status switch
            {
                404 or 410 => Failed(StatusCodes.Status404NotFound, "The recording is no longer where Twilio said (it may have been deleted)."),
                401 or 403 => Failed(StatusCodes.Status502BadGateway,
                    $"The recording's host refused MiniCC ({status}): if the account enforces HTTP auth on media, set Twilio:AccountSid and Twilio:AuthToken."),
                416 => Failed(StatusCodes.Status416RangeNotSatisfiable, "The requested range is outside the recording."),
                _ => Failed(StatusCodes.Status502BadGateway, $"The recording's host answered {status}."),
            };
        }

        NotFetched(log, callSid, "too many redirects");
        return Failed(StatusCodes.Status502BadGateway, $"The recording's host redirected more than {MaxRedirects} times.");
    }

    private HttpRequestMessage Request(Uri target, Uri first, string? range)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, target);
        var t = twilio.Value;
        // The same scheme, host and port as the recording URL Twilio gave: a redirect elsewhere (a storage host) never gets them.
        var sameOrigin = Uri.Compare(target, first, UriComponents.SchemeAndServer, UriFormat.UriEscaped, StringComparison.OrdinalIgnoreCase) == 0;
        if (sameOrigin && !string.IsNullOrEmpty(t.AccountSid) && !string.IsNullOrEmpty(t.AuthToken) && (target.Scheme == Uri.UriSchemeHttps || target.IsLoopback))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes(t.AccountSid + ":" + t.AuthToken)));
        }

        if (range is not null && SimpleRange().IsMatch(range))
        {
            request.Headers.TryAddWithoutValidation("Range", range);
        }

        return request;
    }

    private static bool IsRedirect(HttpStatusCode status) =>
        status is HttpStatusCode.MovedPermanently or HttpStatusCode.Found or HttpStatusCode.SeeOther or HttpStatusCode.TemporaryRedirect
            or HttpStatusCode.PermanentRedirect;

    private static IResult Failed(int status, string reason) =>
        Results.Text(reason + "\n", "text/plain; charset=utf-8", statusCode: status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The recording of voicemail {CallSid} was not played: {Reason}")]
    private static partial void NotFetched(ILogger logger, string callSid, string reason);

    /// <summary>The upstream answer passed on: status (200 or 206), the audio's type, length and range, then the body as it arrives.</summary>
    private sealed class ProxiedAudio(HttpResponseMessage upstream) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            using (upstream)
            {
                var response = httpContext.Response;
                var content = upstream.Content.Headers;
                response.StatusCode = (int)upstream.StatusCode;
                // Only an audio type is passed on: whatever else a host claims, the browser is told audio (never HTML to render).
                response.ContentType = content.ContentType?.MediaType is { } type && type.StartsWith("audio/", StringComparison.OrdinalIgnoreCase)
                    ? type
                    : "audio/mpeg";
                response.ContentLength = content.ContentLength;
                if (content.ContentRange is { } contentRange)
                {
                    response.Headers.ContentRange = contentRange.ToString();
                }

                if (upstream.Headers.AcceptRanges.Count > 0)
                {
                    response.Headers.AcceptRanges = upstream.Headers.AcceptRanges.ToString();
                }

                // A caller's voice: kept by no shared cache, and not stored by the browser beyond the page.
                response.Headers.CacheControl = "private, no-store";
                response.Headers.XContentTypeOptions = "nosniff";
                await using var body = await upstream.Content.ReadAsStreamAsync(httpContext.RequestAborted);
                try
                {
                    await body.CopyToAsync(response.Body, httpContext.RequestAborted);
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
                {
                    // The player went away (it seeks by closing and asking again), or the host stopped mid-stream: the status is sent already.
                    httpContext.Abort();
                }
            }
        }
    }
}
