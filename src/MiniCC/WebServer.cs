using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;
using MiniCC.Desk;
using MiniCC.Metrics;
using MiniCC.Pages;
using MiniCC.Pages.Wallboard;
using MiniCC.Reports;
using MiniCC.Security;
using MiniCC.Settings;
using MiniCC.Storage;
using MiniCC.Voice;
using MiniCC.Voicemail;

namespace MiniCC;

/// <summary>The web host: one line per concern.</summary>
public static partial class WebServer
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        // Under systemd (deploy/systemd/minicc.service, Type=notify): tells it when MiniCC is ready and stopping.
        builder.Host.UseSystemd();
        configure?.Invoke(builder);
        builder.Services.AddMiniCC(builder.Configuration);
        builder.Services.AddWebhookSecurity();
        builder.Services.AddPages();
        builder.Services.AddVoicemail();
        builder.Services.AddMiniCCMetrics(builder.Configuration);
        builder.Services.AddHostedService<ServerLock>();
        builder.Services.AddHostedService<MigrateOnStart>();
        builder.Services.AddHostedService<SpoolReplayer>();
        builder.Services.AddHostedService<RollupRefresher>();

        var app = builder.Build();
        app.Services.ValidateSettings();
        app.UseSecurityHeaders();
        app.UseTrustedProxies();
        app.UseWhen(c => c.Request.Path.StartsWithSegments("/voice"), voice => voice.UseVoiceErrorHandler());
        app.UseStaticFiles();
        app.UseCookiePolicy();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseAntiforgery();
        app.MapVoice();
        app.MapHealth();
        app.MapMetrics();
        app.MapPages();
        app.MapPageApi();
        app.MapCsv();
        app.MapWallboard();
        app.MapDesk();
        app.MapDeskState();
        app.MapDispositions();
        app.MapVoicemails();
        Recordings.CallRecordings.MapCallRecordings(app);
        app.Lifetime.ApplicationStarted.Register(() =>
        {
            WebhookSecurity.WarnIfUnprotected(app.Services);
            Banner(app);
            _ = PageEndpoints.WarnIfNoUsersAsync(app.Services);
        });
        return app;
    }

    /// <summary>Tells the person who started MiniCC what to paste into the Twilio console.</summary>
    private static void Banner(WebApplication app)
    {
        var log = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MiniCC");
        var options = app.Services.GetRequiredService<IOptions<VoiceOptions>>().Value;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var baseUrl = !string.IsNullOrEmpty(options.PublicBaseUrl)
            ? options.PublicBaseUrl.TrimEnd('/')
            : addresses.FirstOrDefault()?.TrimEnd('/') ?? "https://your-host";
        Started(log, string.Join(", ", addresses), app.Services.GetRequiredService<Database>().Settings.Describe(),
            baseUrl + VoiceRoutes.Incoming, baseUrl + VoiceRoutes.Status,
            string.IsNullOrEmpty(options.PublicBaseUrl)
                ? "Twilio must reach these from the internet: put MiniCC behind a public https address and set MiniCC:PublicBaseUrl to it."
                : "");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = """
        MiniCC is listening on {Addresses}
        Database: {Database}
        In the Twilio console, on your phone number's Voice configuration:
          A call comes in (Webhook, HTTP POST):  {VoiceUrl}
          Call status changes (HTTP POST):       {StatusUrl}
        {Hint}
        """)]
    private static partial void Started(ILogger logger, string addresses, string database, string voiceUrl, string statusUrl, string hint);
}
