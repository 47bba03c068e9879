using Microsoft.Extensions.DependencyInjection.Extensions;
using MiniCC.Operators;

namespace MiniCC.Storage;

/// <summary>A start-up problem a person can fix; its message names the setting. Printed without a stack trace.</summary>
public sealed class StartupException(string message, Exception? inner = null) : Exception(message, inner);

public static class StorageServices
{
    /// <summary>The stores and the history's way to the database; their settings (and the database's) are bound by AddMiniCCSettings.</summary>
    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddSingleton<Metrics.MiniCCMeter>();
        services.AddSingleton<Database>();
        services.AddSingleton<Migrator>();
        services.AddSingleton<HistoryWriter>();
        services.AddSingleton<OperatorStore>();
        services.AddSingleton<LegacyImporter>();
        services.AddSingleton<Spool>();
        services.AddSingleton<Security.UserStore>();
        services.AddSingleton<Desk.DispositionStore>();
        services.AddSingleton<Recorder>();
        return services;
    }

    /// <summary>Migrates, turning a database that cannot be opened or written into a message naming the setting.</summary>
    public static async Task<IReadOnlyList<Migrator.Applied>> MigrateOrExplainAsync(this Migrator migrator, Database database, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(migrator);
        ArgumentNullException.ThrowIfNull(database);
        try
        {
            return await migrator.MigrateAsync(ct);
        }
        catch (Exception ex) when (ex is System.Data.Common.DbException or TimeoutException or System.Net.Sockets.SocketException)
        {
            throw new StartupException(
                $"Cannot use the database ({database.Settings.Describe()}), set by {DatabaseSettings.ConnectionStringKey}: {ex.Message}", ex);
        }
    }
}
