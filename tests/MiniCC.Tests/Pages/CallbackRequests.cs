using System.Globalization;
using System.Xml.Linq;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Pages;

/// <summary>Callbacks made through the webhooks real calls request: asked for by a caller, dialed by an operator's loop, ended by the Dial's action.</summary>
public static class CallbackRequests
{
    /// <summary>Callbacks on, one attempt before a callback is listed for a person, no wrap-up; <paramref name="extra"/> over them.</summary>
    public static Dictionary<string, string?> Settings(Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["MiniCC:Callbacks:CallerId"] = "+81501234567",
            ["MiniCC:Callbacks:MaxAttempts"] = "1",
            ["MiniCC:OperatorStates:WrapUpSeconds"] = "0",
            ["MiniCC:Reports:TimeZone"] = "Asia/Tokyo",
        };
        foreach (var (k, v) in extra ?? [])
        {
            settings[k] = v;
        }

        return settings;
    }

    /// <summary>
    /// <paramref name="number"/> asks for a callback at the no-operator choice (1 confirms the caller ID), their place in
    /// line being <paramref name="placeAt"/> (Unix ms); returns the asking call's CallSid.
    /// </summary>
    public static async Task<string> AskCallbackAsync(this MiniCCFactory app, string number, long placeAt)
    {
        var sid = NewCallSid();
        var answer = await app.TwimlAsync("/voice/callback-number?at=menu&since=" + placeAt.ToString(CultureInfo.InvariantCulture),
            Call(sid, number, "in-progress", ("Digits", "1")));
        Assert.NotNull(answer.Element("Hangup"));
        return sid;
    }

    /// <summary>The operator's loop on <paramref name="leg"/>: the number its callback dial calls, and that Dial's action.</summary>
    public static async Task<(string Number, string Action)> DialsAsync(this MiniCCFactory app, string leg, string from)
    {
        var answer = await app.TwimlAsync("/voice/operator", Call(leg, from));
        var dial = answer.Element("Dial");
        Assert.True(dial?.Element("Number") is not null, "the loop dials no callback: " + answer);
        return (dial!.Element("Number")!.Value, dial.Attribute("action")!.Value);
    }

    /// <summary>The callback's dial ended with <paramref name="dialCallStatus"/> (the Dial's action request).</summary>
    public static Task<XElement> DialEndsAsync(this MiniCCFactory app, string action, string leg, string from, string dialCallStatus, int talkSeconds = 0) =>
        app.TwimlAsync(action, Call(leg, from, "in-progress", ("DialCallStatus", dialCallStatus), ("DialCallSid", NewCallSid()),
            ("DialCallDuration", talkSeconds.ToString(CultureInfo.InvariantCulture))));
}
