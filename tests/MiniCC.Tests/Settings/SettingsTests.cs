using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Settings;

public sealed class SettingsTests
{
    [Fact]
    public async Task APublicBaseUrlMakesEveryCallbackUrlAbsolute()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:PublicBaseUrl"] = "https://cc.example.com/" });
        var incoming = await app.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        Assert.Equal("https://cc.example.com/voice/menu", incoming.Element("Gather")!.Attribute("action")!.Value);
        Assert.Equal("https://cc.example.com/voice/no-input", incoming.Element("Redirect")!.Value);
        var enqueue = (await app.TwimlAsync("/voice/menu", Call(NewCallSid(), extra: ("Digits", "1")))).Element("Enqueue")!;
        Assert.Equal("https://cc.example.com/voice/wait", enqueue.Attribute("waitUrl")!.Value);
        Assert.Equal("https://cc.example.com/voice/queue-exit", enqueue.Attribute("action")!.Value);
        var op = await app.OperatorCallsInAsync();
        var loop = await app.TwimlAsync("/voice/operator", Call(op, from: OperatorPhone));
        Assert.Equal("https://cc.example.com/voice/whisper", loop.Element("Dial")!.Element("Queue")!.Attribute("url")!.Value);
    }

    [Fact]
    public async Task TheEnglishPromptSetIsChosenByOneSetting()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Language"] = "en-US" });
        var root = await app.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        var says = root.Element("Gather")!.Elements("Say").ToList();
        Assert.All(says, s => Assert.Equal("en-US", s.Attribute("language")!.Value));
        Assert.All(says, s => Assert.Equal("Polly.Joanna", s.Attribute("voice")!.Value));
        Assert.Contains("press 1", says[1].Value, StringComparison.Ordinal);
        var wait = await app.TwimlAsync("/voice/wait", Call(NewCallSid(), extra: [("QueuePosition", "4"), ("QueueSid", QueueSid)]));
        Assert.Contains("number 4 in line", wait.Element("Say")!.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryPromptVoiceQueueAndTimingIsConfigurable()
    {
        using var app = new MiniCCFactory(new()
        {
            ["MiniCC:Voice"] = "Polly.Takumi",
            ["MiniCC:QueueName"] = "support",
            ["MiniCC:HoldMusicUrl"] = "https://music.example.com/hold.mp3",
            ["MiniCC:WaitPauseSeconds"] = "0",
            ["MiniCC:MenuTimeoutSeconds"] = "7",
            ["MiniCC:OperatorDialTimeoutSeconds"] = "120",
            ["MiniCC:Prompts:Menu"] = "Custom menu & <prompt>",
            ["MiniCC:Prompts:QueuePosition"] = "Position {0}",
        });
        var menu = (await app.TwimlAsync("/voice/incoming", Call(NewCallSid()))).Element("Gather")!;
        Assert.Equal("7", menu.Attribute("timeout")!.Value);
        Assert.Equal("Custom menu & <prompt>", menu.Elements("Say").Last().Value);
        Assert.Equal("Polly.Takumi", menu.Elements("Say").Last().Attribute("voice")!.Value);
        Assert.Equal("support", (await app.TwimlAsync("/voice/menu", Call(NewCallSid(), extra: ("Digits", "1")))).Element("Enqueue")!.Value);
        var wait = await app.TwimlAsync("/voice/wait", Call(NewCallSid(), extra: [("QueuePosition", "2"), ("QueueSid", QueueSid)]));
        Assert.Equal(["Say", "Play"], Verbs(wait));
        Assert.Equal("Position 2", wait.Element("Say")!.Value);
        Assert.Equal("https://music.example.com/hold.mp3", wait.Element("Play")!.Value);
        var op = await app.OperatorCallsInAsync();
        var dial = (await app.TwimlAsync("/voice/operator", Call(op, from: OperatorPhone))).Element("Dial")!;
        Assert.Equal("120", dial.Attribute("timeout")!.Value);
        Assert.Equal("support", dial.Element("Queue")!.Value);
    }
}
