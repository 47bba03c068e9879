using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;
using MiniCC.Storage;
using MiniCC.Twilio.Security;
using MiniCC.Voice;

namespace MiniCC.Security;

/// <summary>Who may call the webhooks: Twilio's signature, HTTP Basic auth, or (knowingly) anyone.</summary>
public sealed class WebhookSecurityOptions
{
    /// <summary><c>Twilio:AuthToken</c>: the account's primary auth token; every webhook must then be signed with it.</summary>
    public string? AuthToken { get; set; }

    /// <summary><c>MiniCC:BasicAuth:Username</c> / <c>Password</c>: the original's protection, put in the webhook URLs.</summary>
    public string? BasicAuthUsername { get; set; }

    public string? BasicAuthPassword { get; set; }

    /// <summary><c>MiniCC:AllowUnsignedWebhooks</c>: serve unauthenticated webhooks in Production (you know why).</summary>
    public bool AllowUnsigned { get; set; }

    /// <summary><c>MiniCC:TrustedProxies</c>: addresses whose X-Forwarded-Proto/Host/For are believed.</summary>
    public IReadOnlyList<IPAddress> TrustedProxies { get; set; } = [];

    /// <summary><c>MiniCC:PublicBaseUrl</c>: when set, the URL Twilio signed is rebuilt on it.</summary>
    public string? PublicBaseUrl { get; set; }

    public bool HasBasicAuth => !string.IsNullOrEmpty(BasicAuthUsername);

    public bool HasSignature => !string.IsNullOrEmpty(AuthToken);

    public static WebhookSecurityOptions From(IConfiguration c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var proxies = new List<IPAddress>();
        foreach (var text in c.GetSection("MiniCC:TrustedProxies").Get<string[]>() ?? [])
        {
            if (!IPAddress.TryParse(text, out var ip))
            {
                throw new StartupException($"MiniCC:TrustedProxies has '{text}', which is not an IP address.");
            }

            proxies.Add(ip);
        }

        var o = new WebhookSecurityOptions
        {
            AuthToken = c["Twilio:AuthToken"],
            BasicAuthUsername = c["MiniCC:BasicAuth:Username"],
            BasicAuthPassword = c["MiniCC:BasicAuth:Password"],
            AllowUnsigned = c.GetValue("MiniCC:AllowUnsignedWebhooks", false),
            TrustedProxies = proxies,
            PublicBaseUrl = c["MiniCC:PublicBaseUrl"],
        };
        if (o.HasBasicAuth && string.IsNullOrEmpty(o.BasicAuthPassword))
        {
            throw new StartupException("MiniCC:BasicAuth:Username is set but MiniCC:BasicAuth:Password is empty.");
        }

        if (o.HasBasicAuth && o.BasicAuthUsername!.Contains(':', StringComparison.Ordinal))
        {
            throw new StartupException("MiniCC:BasicAuth:Username cannot contain ':'.");
        }

        return o;
    }
}

public static partial class WebhookSecurity
{
    public const string Realm = "MiniCC";

    public static IServiceCollection AddWebhookSecurity(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        var options = WebhookSecurityOptions.From(configuration);
        if (!options.HasSignature && !options.HasBasicAuth && environment.IsProduction() && !options.AllowUnsigned)
        {
            throw new StartupException(
                "the webhooks are unprotected: anyone could pose as Twilio. Set Twilio:AuthToken (environment Twilio__AuthToken) " +
                "to your account's auth token, or MiniCC:BasicAuth:Username and MiniCC:BasicAuth:Password, " +
                "or set MiniCC:AllowUnsignedWebhooks=true if something else protects them.");
        }

        services.AddSingleton(options);
        if (options.TrustedProxies.Count > 0)
        {
            services.Configure<ForwardedHeadersOptions>(f =>
            {
                f.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto | ForwardedHeaders.XForwardedHost;
                f.KnownProxies.Clear();
                f.KnownIPNetworks.Clear();
                foreach (var ip in options.TrustedProxies)
                {
                    f.KnownProxies.Add(ip);
                }
            });
        }

        return services;
    }

    /// <summary>Believes X-Forwarded-* only from the configured proxies, so the signed URL can be rebuilt.</summary>
    public static IApplicationBuilder UseTrustedProxies(this IApplicationBuilder app)
    {
        var options = app.ApplicationServices.GetRequiredService<WebhookSecurityOptions>();
        return options.TrustedProxies.Count > 0 ? app.UseForwardedHeaders() : app;
    }

    /// <summary>Says loudly, at start, when the webhooks accept anyone.</summary>
    public static void WarnIfUnprotected(IServiceProvider services)
    {
        var options = services.GetRequiredService<WebhookSecurityOptions>();
        if (!options.HasSignature && !options.HasBasicAuth)
        {
            Unprotected(services.GetRequiredService<ILoggerFactory>().CreateLogger("MiniCC.Security"));
        }
    }

    public static RouteGroupBuilder RequireTwilio(this RouteGroupBuilder group) => group.AddEndpointFilter<TwilioAuthFilter>();

    [LoggerMessage(Level = LogLevel.Warning, Message = """
        !!! The webhooks are NOT protected: neither Twilio:AuthToken nor MiniCC:BasicAuth is set, so anyone who can
        !!! reach this server can pose as Twilio. Fine for trying MiniCC out; set Twilio__AuthToken before going live.
        """)]
    private static partial void Unprotected(ILogger logger);
}

/// <summary>
/// Checks every webhook before any flow runs: HTTP Basic auth (with Twilio's 401 challenge) and
/// X-Twilio-Signature, each when configured. Nothing is recorded for a request that fails.
/// </summary>
public sealed partial class TwilioAuthFilter(WebhookSecurityOptions options, ILogger<TwilioAuthFilter> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        var request = context.Arguments.OfType<TwilioRequest>().FirstOrDefault();

        // A body that could not be read at all (too large, not a form) is refused as such, first.
        if (request is { StatusCode: StatusCodes.Status413PayloadTooLarge or StatusCodes.Status415UnsupportedMediaType })
        {
            return await next(context);
        }

        if (options.HasBasicAuth && !BasicAuthMatches(http.Request.Headers.Authorization.ToString()))
        {
            var had = http.Request.Headers.Authorization.Count > 0;
            if (had)
            {
                Refused(log, http.Request.Path, 401, "wrong Basic credentials");
            }

            http.Response.Headers.WWWAuthenticate = $"Basic realm=\"{WebhookSecurity.Realm}\"";
            return Results.Text(had ? "The Basic credentials are wrong.\n" : "Authentication required.\n",
                "text/plain; charset=utf-8", statusCode: StatusCodes.Status401Unauthorized);
        }

        if (options.HasSignature)
        {
            var signature = http.Request.Headers[RequestSignature.HeaderName].ToString();
            var reason = signature.Length == 0
                ? "X-Twilio-Signature is missing."
                : SignatureMatches(http, request?.SignedForm ?? [], signature)
                    ? null
                    : "X-Twilio-Signature does not match this URL and these parameters.";
            if (reason is not null)
            {
                Refused(log, http.Request.Path, 403, reason);
                return Results.Text(reason + "\n", "text/plain; charset=utf-8", statusCode: StatusCodes.Status403Forbidden);
            }
        }

        return await next(context);
    }

    /// <summary>
    /// The URL Twilio requested, as it saw it: the public base (or the forwarded scheme and host) plus the
    /// path and query exactly as they came on the request line.
    /// </summary>
    public static string PublicUrl(HttpRequest request, string? publicBaseUrl)
    {
        ArgumentNullException.ThrowIfNull(request);
        var pathAndQuery = RawPathAndQuery(request);
        return string.IsNullOrEmpty(publicBaseUrl)
            ? $"{request.Scheme}://{request.Host.Value}{pathAndQuery}"
            : publicBaseUrl.TrimEnd('/') + pathAndQuery;
    }

    /// <summary>
    /// The request target as sent: Twilio signs <c>/voice/%69ncoming</c> as written, while ASP.NET's Path is
    /// decoded (<c>/voice/incoming</c>). Falls back to PathBase + Path + QueryString when the server keeps no raw target.
    /// </summary>
    private static string RawPathAndQuery(HttpRequest request)
    {
        var raw = request.HttpContext.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (raw is { Length: > 0 } && raw[0] == '/')
        {
            return raw;
        }

        // Absolute form (GET http://host/path HTTP/1.1, as proxies may send): what follows the authority.
        var scheme = raw?.IndexOf("://", StringComparison.Ordinal) ?? -1;
        if (scheme > 0)
        {
            var path = raw!.IndexOfAny(['/', '?'], scheme + 3);
            return path < 0 ? "/" : raw[path] == '?' ? "/" + raw[path..] : raw[path..];
        }

        return request.PathBase.Value + request.Path.Value + request.QueryString.Value;
    }

    private bool SignatureMatches(HttpContext http, IReadOnlyList<KeyValuePair<string, string>> form, string signature)
    {
        var url = PublicUrl(http.Request, options.PublicBaseUrl);
        if (RequestSignature.IsValid(options.AuthToken!, url, form, signature))
        {
            return true;
        }

        // Twilio's docs say credentials are removed before signing; its libraries sign them as given. Accept both.
        if (options.HasBasicAuth)
        {
            var at = url.IndexOf("://", StringComparison.Ordinal) + 3;
            var withCredentials = url[..at] + Uri.EscapeDataString(options.BasicAuthUsername!) + ":" +
                                  Uri.EscapeDataString(options.BasicAuthPassword!) + "@" + url[at..];
            return RequestSignature.IsValid(options.AuthToken!, withCredentials, form, signature);
        }

        return false;
    }

    private bool BasicAuthMatches(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] given;
        try
        {
            given = Convert.FromBase64String(header[6..].Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        var expected = Encoding.UTF8.GetBytes($"{options.BasicAuthUsername}:{options.BasicAuthPassword}");
        // Compare fixed-length digests so that neither the content nor the length leaks through timing.
        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(given), SHA256.HashData(expected));
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused webhook {Path} with {Status}: {Reason}")]
    private static partial void Refused(ILogger logger, string path, int status, string reason);
}
