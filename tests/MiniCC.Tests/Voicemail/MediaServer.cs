using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MiniCC.Tests.Voicemail;

/// <summary>
/// A stand-in for Twilio's recording media on 127.0.0.1: recordings under <c>/2010-04-01/Accounts/…/Recordings/RE….mp3</c>
/// that require HTTP Basic (the account SID and auth token) while <see cref="RequireAuth"/> is on, as an account that
/// enforces HTTP auth on media; <c>/moved/…</c> redirects to <c>/public/…</c> on another host name of this server
/// (localhost); <c>/escape/…</c> redirects to <c>/internal/…</c>, which no prefix allows. Every request is kept.
/// </summary>
public sealed class MediaServer : IAsyncDisposable
{
    public const string AccountSid = "AC0123456789abcdef0123456789abcdef";

    private readonly WebApplication _app;

    private MediaServer(WebApplication app) => _app = app;

    /// <summary>The recording's audio: one second of a 440 Hz tone, 8 kHz 16-bit mono WAV (Chromium plays it without an MP3 decoder).</summary>
    public static byte[] Audio { get; } = Wav(TimeSpan.FromSeconds(1));

    public bool RequireAuth { get; set; } = true;

    /// <summary>http://127.0.0.1:port</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The same server by another host name: http://localhost:port</summary>
    public string OtherHost { get; private set; } = "";

    public ConcurrentQueue<(string Host, string Path, string? Authorization, string? Range)> Requests { get; } = new();

    /// <summary>The prefixes MiniCC is given: the recordings, the redirecting path and where it leads; never /escape's target.</summary>
    public string[] Prefixes => [BaseUrl + "/2010-04-01/", BaseUrl + "/moved/", BaseUrl + "/escape/", OtherHost + "/public/"];

    public string RecordingUrl(string recordingSid) => $"{BaseUrl}/2010-04-01/Accounts/{AccountSid}/Recordings/{recordingSid}";

    public static async Task<MediaServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new MediaServer(app);
        app.Use(async (context, next) =>
        {
            var r = context.Request;
            server.Requests.Enqueue((r.Host.Host, r.Path.Value ?? "", r.Headers.Authorization.Count > 0 ? r.Headers.Authorization.ToString() : null,
                r.Headers.Range.Count > 0 ? r.Headers.Range.ToString() : null));
            await next(context);
        });
        app.MapGet("/2010-04-01/Accounts/{account}/Recordings/{file}", (HttpContext context, string account, string file) =>
        {
            if (server.RequireAuth && context.Request.Headers.Authorization.ToString() != Basic(AccountSid, MiniCCFactory.AuthToken))
            {
                context.Response.Headers.WWWAuthenticate = "Basic realm=\"Twilio API\"";
                return Results.Text("{\"code\": 20003, \"message\": \"Authenticate\"}", "application/json", statusCode: 401);
            }

            return account == AccountSid && file.StartsWith("RE", StringComparison.Ordinal) && file.EndsWith(".mp3", StringComparison.Ordinal)
                ? AudioFile()
                : Results.NotFound();
        });
        app.MapGet("/moved/{file}", (string file) => Results.Redirect(server.OtherHost + "/public/" + file));
        app.MapGet("/public/{file}", (string file) => AudioFile());
        app.MapGet("/escape/{file}", (string file) => Results.Redirect(server.BaseUrl + "/internal/" + file));
        app.MapGet("/internal/{file}", (string file) => Results.Text("secret"));
        await app.StartAsync();
        var port = new Uri(app.Urls.First()).Port;
        server.BaseUrl = $"http://127.0.0.1:{port}";
        server.OtherHost = $"http://localhost:{port}";
        return server;
    }

    public static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + password));

    private static IResult AudioFile() => Results.File(Audio, "audio/wav", enableRangeProcessing: true);

    private static byte[] Wav(TimeSpan length)
    {
        const int Rate = 8000;
        var samples = (int)(Rate * length.TotalSeconds);
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.ASCII, leaveOpen: true))
        {
            w.Write("RIFF"u8);
            w.Write(36 + (samples * 2));
            w.Write("WAVEfmt "u8);
            w.Write(16);
            w.Write((short)1);
            w.Write((short)1);
            w.Write(Rate);
            w.Write(Rate * 2);
            w.Write((short)2);
            w.Write((short)16);
            w.Write("data"u8);
            w.Write(samples * 2);
            for (var i = 0; i < samples; i++)
            {
                w.Write((short)(Math.Sin(2 * Math.PI * 440 * i / Rate) * 8000));
            }
        }

        return stream.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
