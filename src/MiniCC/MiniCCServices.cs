using MiniCC.Desk;
using MiniCC.Hours;
using MiniCC.Menu;
using MiniCC.Reports;
using MiniCC.Settings;
using MiniCC.Storage;
using MiniCC.Voice;

namespace MiniCC;

/// <summary>
/// What the web server and every command-line verb share: one list, so that a verb checks the same settings
/// as the server and finds the same services. The server adds what only serving needs (see <see cref="WebServer"/>).
/// </summary>
public static class MiniCCServices
{
    public static IServiceCollection AddMiniCC(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMiniCCSettings(configuration);
        services.AddStorage();
        services.AddVoice();
        services.AddHours();
        services.AddMenu(configuration);
        services.AddReports();
        services.AddDeskFeed();
        services.AddSingleton<Callbacks.CallbackList>();
        return services;
    }
}
