namespace MiniCC.Tests.Desk;

/// <summary>The settings that switch the desk on: the four Twilio keys its tokens need.</summary>
public static class DeskSettings
{
    public const string Account = "AC0123456789abcdef0123456789abcdef";
    public const string Key = "SK0123456789abcdef0123456789abcdef";
    public const string Secret = "desk-test-api-key-secret";
    public const string App = "AP0123456789abcdef0123456789abcdef";

    /// <summary>The desk on, with <paramref name="extra"/> settings over it.</summary>
    public static Dictionary<string, string?> On(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MiniCC:Desk:Enabled"] = "true",
            ["Twilio:AccountSid"] = Account,
            ["Twilio:ApiKeySid"] = Key,
            ["Twilio:ApiKeySecret"] = Secret,
            ["Twilio:TwimlAppSid"] = App,
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return settings;
    }
}
