using MiniCC.Twilio.Webhooks;

namespace MiniCC.Twilio.Tests;

public sealed class VoiceWebhookTests
{
    private const string CallSid = "CA0123456789abcdef0123456789abcdef";

    private static WebhookParseResult Parse(params (string Key, string Value)[] fields) =>
        VoiceWebhook.Parse(fields.GroupBy(f => f.Key).Select(g =>
            KeyValuePair.Create(g.Key, (IReadOnlyList<string?>)g.Select(f => (string?)f.Value).ToList())));

    [Fact]
    public void StandardAndQueueParametersAreParsed()
    {
        var hook = Parse(("CallSid", CallSid), ("AccountSid", "AC" + new string('a', 32)), ("From", "+819011112222"),
            ("To", "+81501234567"), ("CallStatus", "in-progress"), ("ApiVersion", "2010-04-01"), ("Direction", "inbound"),
            ("QueuePosition", "3"), ("QueueSid", "QU" + new string('b', 32)), ("QueueTime", "42"), ("Unknown", "kept")).Webhook!;
        Assert.Equal(CallSid, hook.CallSid);
        Assert.Equal("+819011112222", hook.From);
        Assert.Equal(3, hook.QueuePosition);
        Assert.Equal(42, hook.QueueTime);
        Assert.Equal("kept", hook.All["Unknown"]);
        Assert.Empty(hook.Ignored);
    }

    [Fact]
    public void WhatTheCallerSaidAndHowSureTwilioIsAreParsed()
    {
        var hook = Parse(("CallSid", CallSid), ("SpeechResult", "注文についてです。"), ("Confidence", "0.91")).Webhook!;
        Assert.Equal("注文についてです。", hook.SpeechResult);
        Assert.Equal(0.91, hook.Confidence);
        Assert.Empty(hook.Ignored);
    }

    [Fact]
    public void ADualChannelRecordingsChannelsAreParsed()
    {
        var hook = Parse(("CallSid", CallSid), ("RecordingSid", "RE" + new string('c', 32)), ("RecordingChannels", "2"), ("RecordingStatus", "completed")).Webhook!;
        Assert.Equal((2, "completed"), (hook.RecordingChannels, hook.RecordingStatus));
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("NaN")]
    [InlineData("0,9")]
    public void AConfidenceThatIsNoFractionOfOneIsIgnoredAndNamed(string confidence)
    {
        var hook = Parse(("CallSid", CallSid), ("SpeechResult", "orders"), ("Confidence", confidence)).Webhook!;
        Assert.Null(hook.Confidence);
        Assert.Equal("orders", hook.SpeechResult);
        Assert.Contains("Confidence", hook.Ignored);
    }

    [Theory]
    [InlineData(null, "CallSid is missing.")]
    [InlineData("", "CallSid is missing.")]
    [InlineData("CA123", "CallSid is not")]
    [InlineData("XX0123456789abcdef0123456789abcdef", "CallSid is not")]
    [InlineData("CA0123456789abcdef0123456789abcdeg", "CallSid is not")]
    public void AMissingOrMalformedCallSidIsRefused(string? callSid, string reason)
    {
        var result = callSid is null ? Parse(("From", "+1")) : Parse(("CallSid", callSid));
        Assert.Null(result.Webhook);
        Assert.StartsWith(reason, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void ARepeatedKnownParameterIsRefused()
    {
        var result = Parse(("CallSid", CallSid), ("Digits", "1"), ("Digits", "2"));
        Assert.Equal("Parameter 'Digits' appears more than once.", result.Error);
    }

    [Fact]
    public void ARepeatedUnknownParameterIsIgnored() =>
        Assert.NotNull(Parse(("CallSid", CallSid), ("Foo", "1"), ("Foo", "2")).Webhook);

    [Fact]
    public void NamesAreMatchedExactlyAsTwilioSpellsThem()
    {
        var hook = Parse(("CallSid", CallSid), ("callsid", "CA" + new string('f', 32)), ("digits", "9"), ("Foo", "1"), ("foo", "2")).Webhook!;
        Assert.Equal(CallSid, hook.CallSid);
        Assert.Null(hook.Digits);
        Assert.Equal("1", hook.All["Foo"]);
        Assert.Equal("2", hook.All["foo"]);
        Assert.Equal("9", hook.All["digits"]);
    }

    [Fact]
    public void AnOverlongValueIsRefused() =>
        Assert.Contains("longer than", Parse(("CallSid", CallSid), ("From", new string('1', 5000))).Error, StringComparison.Ordinal);

    [Theory]
    [InlineData("QueuePosition", "1e3")]
    [InlineData("QueuePosition", "-1")]
    [InlineData("QueuePosition", "3; DROP TABLE")]
    [InlineData("QueuePosition", "１")]
    [InlineData("QueueTime", "99999999999")]
    [InlineData("Digits", "1<Say>")]
    [InlineData("QueueSid", "QU' OR 1=1 --")]
    [InlineData("CallStatus", "in progress<")]
    public void AMalformedOptionalParameterIsTreatedAsAbsentAndNamed(string name, string value)
    {
        var hook = Parse(("CallSid", CallSid), (name, value)).Webhook!;
        Assert.Contains(name, hook.Ignored);
        Assert.Null(typeof(VoiceWebhook).GetProperty(name)!.GetValue(hook));
        Assert.Equal(value, hook.All[name]);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("#")]
    [InlineData("*9")]
    [InlineData("")]
    public void DigitsKeepOnlyKeypadCharacters(string digits) =>
        Assert.Equal(digits, Parse(("CallSid", CallSid), ("Digits", digits)).Webhook!.Digits);
}
