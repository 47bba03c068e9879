using System.Globalization;
using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Voicemail;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voicemail;

/// <summary>A caller leaving a voicemail, webhook by webhook, as Twilio sends them (signed by the test client).</summary>
public static class Voicemails
{
    private static int _next;

    public static string NewRecordingSid() => "RE" + Interlocked.Increment(ref _next).ToString("x32", CultureInfo.InvariantCulture);

    /// <summary>Where Twilio would keep <paramref name="recordingSid"/>: no extension, as the webhooks give it.</summary>
    public static string TwilioUrl(string recordingSid) =>
        $"https://api.twilio.com/2010-04-01/Accounts/AC{new string('0', 32)}/Recordings/{recordingSid}";

    public static (string, string)[] Prompt(string callSid, string from = Customer) => Call(callSid, from);

    /// <summary>The Record's action: the caller pressed # (or hung up) after <paramref name="seconds"/>.</summary>
    public static (string, string)[] Action(string callSid, string url, int seconds, string from = Customer, string digits = "#") =>
        Call(callSid, from, extra: [("RecordingUrl", url), ("RecordingDuration", seconds.ToString(CultureInfo.InvariantCulture)), ("Digits", digits)]);

    /// <summary>The recording status callback: Twilio sends no From, To or CallStatus here.</summary>
    public static (string, string)[] Status(string callSid, string recordingSid, string url, string status = "completed", int seconds = 14) =>
    [
        ("AccountSid", "AC" + new string('0', 32)), ("CallSid", callSid), ("RecordingSid", recordingSid), ("RecordingUrl", url),
        ("RecordingStatus", status), ("RecordingDuration", seconds.ToString(CultureInfo.InvariantCulture)), ("RecordingChannels", "1"),
        ("RecordingSource", "RecordVerb"), ("RecordingStartTime", "Tue, 24 Nov 2026 01:00:05 +0000"),
    ];

    /// <summary>A whole voicemail: the prompt, <paramref name="seconds"/> of message, the action and the status callback. Returns the CallSid.</summary>
    public static async Task<string> LeaveAsync(this MiniCCFactory app, string? url = null, string from = Customer, string reason = "closed",
        int seconds = 14)
    {
        var call = NewCallSid();
        var recording = NewRecordingSid();
        url ??= TwilioUrl(recording);
        recording = url[(url.LastIndexOf('/') + 1)..];
        await app.TwimlAsync("/voice/voicemail?reason=" + reason, Prompt(call, from));
        app.Clock.Advance(TimeSpan.FromSeconds(seconds + 4));
        await app.TwimlAsync("/voice/voicemail-recorded?reason=" + reason, Action(call, url, seconds, from));
        using var status = await app.PostAsync("/voice/recording-status", Status(call, recording, url, seconds: seconds));
        Assert.Equal(HttpStatusCode.NoContent, status.StatusCode);
        return call;
    }

    public static VoicemailStore VoicemailStore(this MiniCCFactory app) => app.Services.GetRequiredService<VoicemailStore>();
}
