using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace MiniCC.Metrics;

/// <summary>
/// <c>/metrics</c> in Prometheus's text format (OpenTelemetry's exporter), when <c>MiniCC:Metrics:Enabled</c>: MiniCC's own
/// meter and ASP.NET Core's request metrics (<c>http.server.request.duration</c>, by route and status: the webhooks and
/// their latency). Only a request with <c>Authorization: Bearer</c> and <c>MiniCC:Metrics:Token</c> is answered.
/// </summary>
public static class MetricsEndpoints
{
    public const string Path = "/metrics";

    /// <summary>ASP.NET Core's meter of <c>http.server.request.duration</c> and <c>http.server.active_requests</c>.</summary>
    private const string AspNetCoreHosting = "Microsoft.AspNetCore.Hosting";

    public static IServiceCollection AddMiniCCMetrics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddSingleton<LiveGauges>();
        // Nothing listens unless metrics are on. A value that is no boolean is refused by the settings' checks at start.
        if (bool.TryParse(configuration[MetricsOptions.Section + ":" + nameof(MetricsOptions.Enabled)], out var on) && on)
        {
            services.AddOpenTelemetry().ConfigureResource(r => r.AddService("minicc")).WithMetrics(m => m
                .AddMeter(MiniCCMeter.Name, AspNetCoreHosting)
                // No cached answer: each scrape counts what happened up to it (LiveGauges bounds the database's share).
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0));
        }

        return services;
    }

    public static IEndpointRouteBuilder MapMetrics(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var options = app.ServiceProvider.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var gauges = app.ServiceProvider.GetRequiredService<LiveGauges>();
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(options.Token!));
        app.MapPrometheusScrapingEndpoint(Path, meterProvider: null, configureBranchedPipeline: branch => branch.Use(async (context, next) =>
        {
            if (!Authorized(context.Request, expected))
            {
                context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                context.Response.Headers.WWWAuthenticate = "Bearer";
                return;
            }

            await gauges.RefreshAsync(context.RequestAborted);
            await next(context);
        }), optionsName: null);
        return app;
    }

    /// <summary>Compares hashes in constant time, so the answer's timing says nothing of the token.</summary>
    private static bool Authorized(HttpRequest request, byte[] expected)
    {
        const string Scheme = "Bearer ";
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase)
            && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim())), expected);
    }
}
