using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace MiniCC.Emulator;

/// <summary>One request to the media server: its path, whether it carried credentials, and the status answered.</summary>
public sealed record MediaRequest(string Path, bool WithCredentials, int Status);

/// <summary>
/// Recording media as Twilio serves it: no extension or <c>.wav</c> gives audio/x-wav, <c>.mp3</c> audio/mpeg, anything
/// else (and an unknown recording) 404; with "Enforce HTTP Auth on Media URLs" a request without AccountSid:AuthToken gets 401.
/// A loopback <see cref="HttpListener"/> on a free port: it serves tests on this machine and nothing else.
/// </summary>
internal sealed partial class RecordingMedia : IDisposable
{
    private readonly HttpListener _listener;
    private readonly TwilioEmulator _twilio;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<MediaRequest> _requests = [];

    private RecordingMedia(HttpListener listener, Uri baseUrl, TwilioEmulator twilio)
    {
        _listener = listener;
        _twilio = twilio;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public IReadOnlyList<MediaRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public static RecordingMedia Start(TwilioEmulator twilio)
    {
        // HttpListener cannot bind port 0: take a free port from the system, then listen on it (again if another took it meanwhile).
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var baseUrl = new Uri($"http://127.0.0.1:{port}/");
            var listener = new HttpListener();
            listener.Prefixes.Add(baseUrl.ToString());
            try
            {
                listener.Start();
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
                continue;
            }

            var media = new RecordingMedia(listener, baseUrl, twilio);
            _ = media.ServeAsync();
            return media;
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Close();
        _stop.Dispose();
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return; // stopped
            }

            try
            {
                await AnswerAsync(context);
            }
            catch (HttpListenerException)
            {
                // the client went away mid-answer
            }
            finally
            {
                context.Response.Close();
            }
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url!.AbsolutePath;
        var credentials = request.Headers["Authorization"];
        var options = _twilio.Options;
        var status = 404;
        byte[]? body = null;
        string? type = null;
        if (options.EnforceMediaAuth && credentials != "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{options.AccountSid}:{options.AuthToken}")))
        {
            status = 401;
            response.AddHeader("WWW-Authenticate", "Basic realm=\"Twilio API\"");
        }
        else if (request.HttpMethod is "GET" or "HEAD" && MediaPath().Match(path) is { Success: true } m &&
                 m.Groups["account"].Value == options.AccountSid && _twilio.Recordings.TryGetValue(m.Groups["sid"].Value, out var recording))
        {
            (status, type, body) = m.Groups["ext"].Value switch
            {
                "" or ".wav" => (200, "audio/x-wav", RecordingAudio.Wav(recording.DurationSeconds)),
                ".mp3" => (200, "audio/mpeg", RecordingAudio.Mp3(recording.DurationSeconds)),
                _ => (404, null, null),
            };
        }

        lock (_requests)
        {
            _requests.Add(new MediaRequest(path, credentials is not null, status));
        }

        response.StatusCode = status;
        if (body is null)
        {
            return;
        }

        response.ContentType = type;
        response.ContentLength64 = body.Length;
        if (request.HttpMethod == "GET")
        {
            await response.OutputStream.WriteAsync(body, _stop.Token);
        }
    }

    [GeneratedRegex(@"^/2010-04-01/Accounts/(?<account>AC[0-9a-f]{32})/Recordings/(?<sid>RE[0-9a-f]{32})(?<ext>\.[A-Za-z0-9]+)?$")]
    private static partial Regex MediaPath();
}
