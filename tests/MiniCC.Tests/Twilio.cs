using System.Xml.Linq;

namespace MiniCC.Tests;

/// <summary>Parameters as Twilio sends them, and the TwiML it reads back, for webhook tests and call scripts.</summary>
public static class Twilio
{
    public const string Customer = "+819011112222";
    public const string OperatorPhone = "+819033334444";
    public const string SecondOperatorPhone = "+819055556666";
    public const string Number = "+81501234567";
    public const string QueueSid = "QU0123456789abcdef0123456789abcdef";

    private static int _next;

    public static string NewCallSid() => "CA" + Interlocked.Increment(ref _next).ToString("x32", System.Globalization.CultureInfo.InvariantCulture);

    public static (string, string)[] Call(string callSid, string from = Customer, string status = "in-progress", params (string, string)[] extra) =>
    [
        ("CallSid", callSid),
        ("AccountSid", "AC" + new string('0', 32)),
        ("From", from),
        ("To", Number),
        ("CallStatus", status),
        ("ApiVersion", "2010-04-01"),
        ("Direction", "inbound"),
        .. extra,
    ];

    /// <summary>The verbs of a TwiML answer, in the order Twilio carries them out.</summary>
    public static string[] Verbs(XElement response) => [.. response.Elements().Select(e => e.Name.LocalName)];
}
