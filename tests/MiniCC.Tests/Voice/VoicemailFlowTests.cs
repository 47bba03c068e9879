using System.Net;
using System.Xml.Linq;
using MiniCC.Tests.Voicemail;
using MiniCC.Voicemail;
using static MiniCC.Tests.Twilio;
using static MiniCC.Tests.Voicemail.Voicemails;

namespace MiniCC.Tests.Voice;

/// <summary>The voicemail webhooks over HTTP, signed as Twilio signs them: what the caller hears, and what is refused.</summary>
public sealed class VoicemailFlowTests : IDisposable
{
    private readonly MiniCCFactory _app = new(new() { ["MiniCC:Voicemail:MaxLengthSeconds"] = "90" });

    public void Dispose() => _app.Dispose();

    [Theory]
    [InlineData("closed")]
    [InlineData("no-operator")]
    [InlineData("max-wait")]
    [InlineData("key")]
    public async Task TheCallerHearsThePromptThenTheBeepAndTheRecordCarriesTheReason(string reason)
    {
        var root = await _app.TwimlAsync("/voice/voicemail?reason=" + reason, Prompt(NewCallSid()));
        Assert.Equal(["Say", "Record", "Say", "Hangup"], Verbs(root));
        var says = root.Elements("Say").ToList();
        Assert.StartsWith("お名前とお電話番号、ご用件を、発信音のあとに", says[0].Value, StringComparison.Ordinal);
        Assert.Equal("ja-JP", says[0].Attribute("language")!.Value);
        Assert.StartsWith("メッセージを確認できませんでした", says[1].Value, StringComparison.Ordinal);
        var record = root.Element("Record")!;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["action"] = "/voice/voicemail-recorded?reason=" + reason, ["method"] = "POST", ["maxLength"] = "90", ["timeout"] = "5",
                ["finishOnKey"] = "#", ["playBeep"] = "true", ["recordingStatusCallback"] = "/voice/recording-status",
                ["recordingStatusCallbackMethod"] = "POST", ["recordingStatusCallbackEvent"] = "completed absent",
            },
            record.Attributes().ToDictionary(a => a.Name.LocalName, a => a.Value));
    }

    [Fact]
    public async Task InEnglishTheCallerHearsTheEnglishPromptAndThanks()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Language"] = "en-US" });
        var call = NewCallSid();
        var prompt = await app.TwimlAsync("/voice/voicemail?reason=key", Prompt(call));
        Assert.StartsWith("Please leave your name, your phone number and your message after the beep.", prompt.Element("Say")!.Value, StringComparison.Ordinal);
        var thanks = await app.TwimlAsync("/voice/voicemail-recorded?reason=key", Action(call, TwilioUrl(NewRecordingSid()), 9));
        Assert.Equal(["Say", "Hangup"], Verbs(thanks));
        Assert.Equal("Thank you. We have your message and will call you back.", thanks.Element("Say")!.Value);
        Assert.Equal("en-US", thanks.Element("Say")!.Attribute("language")!.Value);
    }

    [Fact]
    public async Task AMessageLeftIsThankedAndStoredWithTheCallerAndReason()
    {
        var call = NewCallSid();
        var recording = NewRecordingSid();
        await _app.TwimlAsync("/voice/voicemail?reason=no-operator", Prompt(call, "+819012340000"));
        _app.Clock.Advance(TimeSpan.FromSeconds(25));
        var thanks = await _app.TwimlAsync("/voice/voicemail-recorded?reason=no-operator", Action(call, TwilioUrl(recording), 20, "+819012340000"));
        Assert.Equal(["Say", "Hangup"], Verbs(thanks));
        Assert.StartsWith("メッセージを承りました。", thanks.Element("Say")!.Value, StringComparison.Ordinal);

        var stored = await _app.VoicemailStore().FindAsync(call, default);
        Assert.NotNull(stored);
        Assert.Equal("+819012340000", stored.FromNumber);
        Assert.Equal("no-operator", stored.Reason);
        Assert.Equal(TwilioUrl(recording), stored.RecordingUrl);
        Assert.Equal(20, stored.DurationSeconds);
        Assert.Equal("recorded", stored.Status);
        // The message began 20 s before its end, after the prompt: the prompt's time is the earliest the events show.
        Assert.Equal(MiniCCFactory.StartMs, stored.RecordedAt);
        Assert.Null(stored.RecordingSid);
        Assert.Null(stored.HandledAt);
    }

    [Fact]
    public async Task ACallerWhoLeftNothingHearsSoAndNothingIsPlayable()
    {
        var call = NewCallSid();
        await _app.TwimlAsync("/voice/voicemail?reason=closed", Prompt(call));
        var answer = await _app.TwimlAsync("/voice/voicemail-recorded?reason=closed", Call(call, extra: ("Digits", "hangup")));
        Assert.StartsWith("メッセージを確認できませんでした", answer.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.Equal("Hangup", Verbs(answer)[^1]);
        var stored = await _app.VoicemailStore().FindAsync(call, default);
        Assert.Equal("offered", stored!.Status);
        Assert.False(stored.Playable);
    }

    [Fact]
    public async Task WithVoicemailOffTheCallerHearsAPoliteGoodbyeAndNothingIsStored()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Voicemail:Enabled"] = "false" });
        var root = await app.TwimlAsync("/voice/voicemail?reason=closed", Prompt(NewCallSid()));
        Assert.Equal(["Say", "Hangup"], Verbs(root));
        Assert.StartsWith("ただいまメッセージをお預かりできません。", root.Element("Say")!.Value, StringComparison.Ordinal);
        Assert.Empty(await app.VoicemailStore().NewestAsync(10, default));
        Assert.Empty(await app.History.EventsAsync(default));
    }

    [Fact]
    public async Task ThePromptsAreConfigurable()
    {
        using var app = new MiniCCFactory(new()
        {
            ["MiniCC:Prompts:VoicemailPrompt"] = "Speak now.", ["MiniCC:Prompts:VoicemailThanks"] = "Got it.",
            ["MiniCC:Prompts:VoicemailNothing"] = "Nothing heard.", ["MiniCC:Prompts:VoicemailOff"] = "Closed for messages.",
        });
        var call = NewCallSid();
        var prompt = await app.TwimlAsync("/voice/voicemail?reason=key", Prompt(call));
        Assert.Equal(["Speak now.", "Nothing heard."], prompt.Elements("Say").Select(s => s.Value));
        Assert.Equal("Got it.", (await app.TwimlAsync("/voice/voicemail-recorded?reason=key", Action(call, TwilioUrl(NewRecordingSid()), 3))).Element("Say")!.Value);
    }

    /// <summary>
    /// The reason is in a URL that Twilio signed as MiniCC wrote it: an unknown or missing one is a wrong link, not a caller's
    /// doing. Refused with the reason (Twilio then says its own error to the caller) rather than stored as another reason.
    /// </summary>
    [Theory]
    [InlineData("/voice/voicemail")]
    [InlineData("/voice/voicemail?reason=holiday")]
    [InlineData("/voice/voicemail?reason=closed&reason=key")]
    [InlineData("/voice/voicemail-recorded?reason=CLOSED")]
    [InlineData("/voice/voicemail-recorded")]
    public async Task AnUnknownOrMissingReasonIsABadRequestAndNothingIsStored(string path)
    {
        using var response = await _app.PostAsync(path, Action(NewCallSid(), TwilioUrl(NewRecordingSid()), 5));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("reason must be one of closed, no-operator, max-wait, key", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _app.History.EventsAsync(default));
        Assert.Empty(await _app.VoicemailStore().NewestAsync(10, default));
    }

    [Theory]
    [InlineData("RecordingUrl", "ftp://api.twilio.com/rec", "RecordingUrl is not an absolute http(s) URL")]
    [InlineData("RecordingUrl", "/2010-04-01/Recordings/RE1", "RecordingUrl is not an absolute http(s) URL")]
    [InlineData("RecordingUrl", "https://user:pw@api.twilio.com/RE1", "RecordingUrl has a user name, a query")]
    [InlineData("RecordingUrl", "https://api.twilio.com/RE1?x=<script>", "RecordingUrl has a user name, a query")]
    [InlineData("RecordingSid", "RE-not-a-sid", "RecordingSid is malformed")]
    [InlineData("RecordingDuration", "12s", "RecordingDuration is malformed")]
    [InlineData("RecordingStatus", "in progress", "RecordingStatus is malformed")]
    public async Task AMalformedRecordingIsABadRequestWithTheReasonAndNothingIsStored(string name, string value, string reason)
    {
        var call = NewCallSid();
        var recording = NewRecordingSid();
        var status = Status(call, recording, TwilioUrl(recording)).Select(p => p.Item1 == name ? (name, value) : p).ToArray();
        var action = Action(call, TwilioUrl(recording), 5).Where(p => p.Item1 != name).Append((name, value)).ToArray();
        foreach (var (path, form) in new[] { ("/voice/voicemail-recorded?reason=key", action), ("/voice/recording-status", status) })
        {
            using var response = await _app.PostAsync(path, form);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(await _app.History.EventsAsync(default));
        Assert.Empty(await _app.VoicemailStore().NewestAsync(10, default));
    }

    [Theory]
    [InlineData(null, "completed", "RecordingSid is missing.")]
    [InlineData("RE0123456789abcdef0123456789abcdef", null, "RecordingStatus must be one of in-progress, completed, failed, absent.")]
    [InlineData("RE0123456789abcdef0123456789abcdef", "deleted", "RecordingStatus must be one of")]
    public async Task AStatusCallbackWithoutARecordingOrAKnownStatusIsABadRequest(string? recording, string? status, string reason)
    {
        var form = Status(NewCallSid(), recording ?? "x", TwilioUrl(recording ?? "RE1"), status ?? "x")
            .Where(p => !(p.Item1 == "RecordingSid" && recording is null) && !(p.Item1 == "RecordingStatus" && status is null)).ToArray();
        using var response = await _app.PostAsync("/voice/recording-status", form);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await _app.History.EventsAsync(default));
    }

    [Fact]
    public async Task AnUnsignedStatusCallbackIsRefused()
    {
        using var client = _app.CreateClient();
        var recording = NewRecordingSid();
        using var content = new FormUrlEncodedContent(Status(NewCallSid(), recording, TwilioUrl(recording)).Select(p => KeyValuePair.Create(p.Item1, p.Item2)));
        using var response = await client.PostAsync(new Uri("/voice/recording-status", UriKind.Relative), content);
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Empty(await _app.History.EventsAsync(default));
    }
}
