namespace MiniCC.Hours;

/// <summary>Opening hours: one instance, read by the call flow and the settings page.</summary>
public static class HoursServices
{
    public static IServiceCollection AddHours(this IServiceCollection services) => services.AddSingleton<OpeningHours>();
}
