namespace MiniCC.Settings;

/// <summary>A time zone by its IANA name, or null when this machine knows none such: the settings that name one check it so.</summary>
internal static class TimeZones
{
    public static TimeZoneInfo? Find(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            return null;
        }
    }
}
