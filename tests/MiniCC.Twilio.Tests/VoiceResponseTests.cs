using System.Xml.Linq;
using MiniCC.Twilio.TwiML;

namespace MiniCC.Twilio.Tests;

public sealed class VoiceResponseTests
{
    private static XElement Parse(VoiceResponse r)
    {
        var text = r.ToString();
        Assert.StartsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response", text, StringComparison.Ordinal);
        return XDocument.Parse(text).Root!;
    }

    [Fact]
    public void AnEmptyResponseIsAValidDocument()
    {
        var root = Parse(new VoiceResponse());
        Assert.Equal("Response", root.Name.LocalName);
        Assert.Empty(root.Elements());
    }

    [Fact]
    public void VerbsAppearInTheOrderTheyWereAdded()
    {
        var root = Parse(new VoiceResponse().Pause(3).Say("hi").Play("https://x/y.mp3").Redirect("/next").Hangup());
        Assert.Equal(["Pause", "Say", "Play", "Redirect", "Hangup"], root.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("3", root.Element("Pause")!.Attribute("length")!.Value);
        Assert.Equal("/next", root.Element("Redirect")!.Value);
    }

    [Fact]
    public void TextAndAttributesAreXmlEscaped()
    {
        var nasty = "<Hangup/> & \"quotes\" 'apos' ]]>";
        var xml = new VoiceResponse().Say(nasty, voice: "a\"b<c").Redirect("/x?a=1&b=2").ToString();
        var root = XDocument.Parse(xml).Root!;
        Assert.Equal(nasty, root.Element("Say")!.Value);
        Assert.Equal("a\"b<c", root.Element("Say")!.Attribute("voice")!.Value);
        Assert.Equal("/x?a=1&b=2", root.Element("Redirect")!.Value);
        Assert.Single(root.Elements("Say"));
        Assert.Empty(root.Elements("Hangup"));
        Assert.Contains("&amp;b=2", xml, StringComparison.Ordinal);
    }

    [Fact]
    public void ControlCharactersThatXmlCannotCarryAreDropped()
    {
        var root = Parse(new VoiceResponse().Say("a\u0001b\u0008c"));
        Assert.Equal("abc", root.Element("Say")!.Value);
    }

    [Fact]
    public void JapaneseTextSurvivesUnchanged()
    {
        var root = Parse(new VoiceResponse().Say("お電話ありがとうございます。", "Polly.Mizuki", "ja-JP"));
        var say = root.Element("Say")!;
        Assert.Equal("お電話ありがとうございます。", say.Value);
        Assert.Equal("Polly.Mizuki", say.Attribute("voice")!.Value);
        Assert.Equal("ja-JP", say.Attribute("language")!.Value);
    }

    [Fact]
    public void ASpeechGatherWritesItsLanguageHintsAndSpeechTimeout()
    {
        var gather = Parse(new VoiceResponse().Gather(new GatherOptions
        {
            Input = "dtmf speech", Language = "ja-JP", Hints = ["注文", "返品"], SpeechTimeout = "auto",
        })).Element("Gather")!;
        Assert.Equal(("dtmf speech", "ja-JP", "注文, 返品", "auto"),
            (gather.Attribute("input")?.Value, gather.Attribute("language")?.Value, gather.Attribute("hints")?.Value, gather.Attribute("speechTimeout")?.Value));
    }

    [Theory]
    [InlineData("a,b", "3")]
    [InlineData("", "3")]
    [InlineData("ok", "0")]
    [InlineData("ok", "soon")]
    public void HintsWithACommaOrNothingAndASpeechTimeoutThatIsNoTimeAreRefused(string hint, string speechTimeout) =>
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Gather(new GatherOptions
        {
            Hints = [hint], SpeechTimeout = hint.Length > 0 && !hint.Contains(',') ? speechTimeout : "3",
        }));

    [Fact]
    public void GatherNestsOnlyItsPromptsAndWritesItsAttributes()
    {
        var root = Parse(new VoiceResponse()
            .Gather(new GatherOptions { NumDigits = 1, Timeout = 10, Action = "/voice/menu", Method = "POST", Input = "dtmf" },
                g => g.Say("one").Play("https://x/a.mp3").Pause(2))
            .Redirect("/voice/no-input"));
        var gather = root.Element("Gather")!;
        Assert.Equal("1", gather.Attribute("numDigits")!.Value);
        Assert.Equal("10", gather.Attribute("timeout")!.Value);
        Assert.Equal("/voice/menu", gather.Attribute("action")!.Value);
        Assert.Equal("POST", gather.Attribute("method")!.Value);
        Assert.Equal("dtmf", gather.Attribute("input")!.Value);
        Assert.Equal(["Say", "Play", "Pause"], gather.Elements().Select(e => e.Name.LocalName));
        Assert.Equal("Redirect", root.Elements().Last().Name.LocalName);
    }

    [Fact]
    public void UnsetOptionsAreLeftOutSoTwilioDefaultsApply()
    {
        var gather = Parse(new VoiceResponse().Gather(new GatherOptions())).Element("Gather")!;
        Assert.Empty(gather.Attributes());
    }

    [Fact]
    public void DialWithQueueWritesTheNounAndItsUrl()
    {
        var root = Parse(new VoiceResponse()
            .Dial(new DialOptions { Timeout = 60 }, d => d.Queue("support", "/voice/whisper", "POST")));
        var dial = root.Element("Dial")!;
        Assert.Equal("60", dial.Attribute("timeout")!.Value);
        var queue = Assert.Single(dial.Elements());
        Assert.Equal("Queue", queue.Name.LocalName);
        Assert.Equal("support", queue.Value);
        Assert.Equal("/voice/whisper", queue.Attribute("url")!.Value);
    }

    [Fact]
    public void EnqueueWritesWaitUrlAndAction()
    {
        var e = Parse(new VoiceResponse().Enqueue("support", new EnqueueOptions
        {
            Action = "/voice/queue-exit",
            Method = "POST",
            WaitUrl = "/voice/wait",
            WaitUrlMethod = "POST",
        })).Element("Enqueue")!;
        Assert.Equal("support", e.Value);
        Assert.Equal("/voice/queue-exit", e.Attribute("action")!.Value);
        Assert.Equal("/voice/wait", e.Attribute("waitUrl")!.Value);
        Assert.Equal("POST", e.Attribute("waitUrlMethod")!.Value);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(601)]
    public void DialTimeoutOutsideTwiliosRangeIsRefused(int timeout) =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            new VoiceResponse().Dial(new DialOptions { Timeout = timeout }, d => d.Queue("q")));

    [Fact]
    public void InvalidArgumentsAreRefusedBeforeAnythingIsWritten()
    {
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Redirect(""));
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Say(" "));
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Enqueue(new string('q', 65)));
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Redirect("/x", "PUT"));
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Dial(new DialOptions(), _ => { }));
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Dial(new DialOptions(), d => d.Client("bad-identity")));
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Gather(new GatherOptions { FinishOnKey = "x" }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceResponse().Gather(new GatherOptions { NumDigits = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new VoiceResponse().Pause(0));
        Assert.Throws<ArgumentException>(() => new VoiceResponse().Reject("nope"));
    }

    [Fact]
    public void LeaveRejectAndClientAreWritten()
    {
        var root = Parse(new VoiceResponse().Reject("busy").Leave().Dial(new DialOptions(), d => d.Client("operator_1").Number("+81312345678")));
        Assert.Equal("busy", root.Element("Reject")!.Attribute("reason")!.Value);
        Assert.NotNull(root.Element("Leave"));
        Assert.Equal(["Client", "Number"], root.Element("Dial")!.Elements().Select(e => e.Name.LocalName));
    }
}
