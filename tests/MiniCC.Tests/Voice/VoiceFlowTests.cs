using System.Xml.Linq;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

public sealed class SqliteVoiceFlowTests() : VoiceFlowTests("sqlite");

public sealed class MySqlVoiceFlowTests() : VoiceFlowTests("mysql");

public sealed class PostgresVoiceFlowTests() : VoiceFlowTests("postgres");

/// <summary>A call's first webhook and the menu over HTTP, with what they stored, once per database provider (the queue: <see cref="QueueFlowTests"/>).</summary>
public abstract class VoiceFlowTests(string provider) : ProviderTests(provider)
{
    [SkippableFact]
    public async Task ACustomersFirstWebhookAnswersTheMenuGather()
    {
        var sid = NewCallSid();
        var root = await App.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));

        Assert.Equal(["Gather", "Redirect"], Verbs(root));
        var gather = root.Element("Gather")!;
        Assert.Equal("1", gather.Attribute("numDigits")!.Value);
        Assert.Equal("10", gather.Attribute("timeout")!.Value);
        Assert.Equal("/voice/menu", gather.Attribute("action")!.Value);
        var says = gather.Elements("Say").ToList();
        Assert.Equal(2, says.Count);
        Assert.All(says, s => Assert.Equal("ja-JP", s.Attribute("language")!.Value));
        Assert.All(says, s => Assert.Equal("Polly.Mizuki", s.Attribute("voice")!.Value));
        Assert.Contains("1", says[1].Value, StringComparison.Ordinal);
        Assert.Contains("2", says[1].Value, StringComparison.Ordinal);
        Assert.Equal("/voice/no-input", root.Element("Redirect")!.Value);

        var call = Assert.Single(await App.History.CallsAsync(default));
        Assert.Equal(sid, call.CallSid);
        Assert.Equal("customer", call.Role);
        Assert.Equal(Customer, call.FromNumber);
        Assert.Equal(MiniCCFactory.StartMs, call.StartedAt);
    }

    [SkippableFact]
    public async Task AnOperatorsFirstWebhookEntersTheOperatorLoop()
    {
        Assert.True(await App.Operators.AddAsync(OperatorPhone, "Sato", default));
        var sid = NewCallSid();

        var root = await App.TwimlAsync("/voice/incoming", Call(sid, from: OperatorPhone, status: "ringing"));

        Assert.Equal(["Redirect"], Verbs(root));
        Assert.Equal("/voice/operator", root.Element("Redirect")!.Value);
        var call = Assert.Single(await App.History.CallsAsync(default));
        Assert.Equal("operator", call.Role);
        Assert.NotNull(call.OperatorId);
    }

    [SkippableFact]
    public async Task AnOperatorIsRecognisedWhateverWayTheNumberWasTyped()
    {
        // Registered in national form; Twilio sends E.164.
        Assert.True(await App.Operators.AddAsync(MiniCC.Operators.PhoneNumber.Normalize("090-3333-4444", "81", out _)!, null, default));
        var root = await App.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone));
        Assert.Equal("/voice/operator", root.Element("Redirect")!.Value);
    }

    [SkippableFact]
    public async Task ADisabledOperatorHearsTheCustomerMenu()
    {
        await App.Operators.AddAsync(OperatorPhone, null, default);
        await App.Operators.SetActiveAsync(OperatorPhone, false, default);
        var root = await App.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: OperatorPhone));
        Assert.Equal(["Gather", "Redirect"], Verbs(root));
    }

    [SkippableTheory]
    [InlineData("anonymous")]
    [InlineData("client:operator_1")]
    [InlineData("")]
    public async Task AWithheldOrUnusualCallerIdHearsTheMenu(string from)
    {
        var root = await App.TwimlAsync("/voice/incoming", Call(NewCallSid(), from: from));
        Assert.Equal(["Gather", "Redirect"], Verbs(root));
    }

    [SkippableFact]
    public async Task PressingOneEnqueuesTheCaller()
    {
        var sid = NewCallSid();
        var root = await App.TwimlAsync("/voice/menu", Call(sid, extra: ("Digits", "1")));

        Assert.Equal(["Say", "Enqueue"], Verbs(root));
        var enqueue = root.Element("Enqueue")!;
        Assert.Equal("MiniCC", enqueue.Value);
        Assert.Equal("/voice/wait", enqueue.Attribute("waitUrl")!.Value);
        Assert.Equal("POST", enqueue.Attribute("waitUrlMethod")!.Value);
        Assert.Equal("/voice/queue-exit", enqueue.Attribute("action")!.Value);
        Assert.Equal("operator", Assert.Single(await App.History.CallsAsync(default)).IvrChoice);
    }

    [SkippableFact]
    public async Task PressingTwoRedirectsToTheProductInformation()
    {
        var root = await App.TwimlAsync("/voice/menu", Call(NewCallSid(), extra: ("Digits", "2")));
        Assert.Equal(["Redirect"], Verbs(root));
        Assert.Equal("/voice/information", root.Element("Redirect")!.Value);
        Assert.Equal("information", Assert.Single(await App.History.CallsAsync(default)).IvrChoice);
    }

    [SkippableFact]
    public async Task TheProductInformationIsSpokenAndThenTheCallEnds()
    {
        var root = await App.TwimlAsync("/voice/information", Call(NewCallSid()));
        Assert.Equal(["Say", "Say", "Hangup"], Verbs(root));
        Assert.Contains("製品", root.Elements("Say").First().Value, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AConfiguredAudioFileReplacesTheInformationText()
    {
        using var app = new MiniCCFactory(Provider, new() { ["MiniCC:InformationAudioUrl"] = "https://cdn.example.com/info.mp3" });
        var root = await app.TwimlAsync("/voice/information", Call(NewCallSid()));
        Assert.Equal(["Play", "Say", "Hangup"], Verbs(root));
        Assert.Equal("https://cdn.example.com/info.mp3", root.Element("Play")!.Value);
    }

    [SkippableTheory]
    [InlineData("3")]
    [InlineData("0")]
    [InlineData("#")]
    [InlineData("*")]
    [InlineData("")]
    [InlineData("12")]
    [InlineData("1<Hangup/>")]
    [InlineData("１")]
    public async Task AnyOtherInputRePromptsWithTheSameGather(string digits)
    {
        var root = await App.TwimlAsync("/voice/menu", Call(NewCallSid(), extra: ("Digits", digits)));
        Assert.Equal(["Gather", "Redirect"], Verbs(root));
        var gather = root.Element("Gather")!;
        Assert.Equal(2, gather.Elements("Say").Count()); // "please choose again", then the menu, both interruptible
        Assert.Equal("1", gather.Attribute("numDigits")!.Value);
        Assert.Equal("/voice/menu", gather.Attribute("action")!.Value);
        Assert.Equal("/voice/no-input", root.Element("Redirect")!.Value);
        Assert.DoesNotContain("Hangup", root.ToString(), StringComparison.Ordinal);
        Assert.Equal("invalid", Assert.Single(await App.History.CallsAsync(default)).IvrChoice);
    }

    [SkippableFact]
    public async Task AMenuRequestWithoutDigitsRePrompts()
    {
        var root = await App.TwimlAsync("/voice/menu", Call(NewCallSid()));
        Assert.Equal(["Gather", "Redirect"], Verbs(root));
    }

    [SkippableFact]
    public async Task NoInputTellsTheCallerAndEnqueues()
    {
        var root = await App.TwimlAsync("/voice/no-input", Call(NewCallSid()));
        Assert.Equal(["Say", "Enqueue"], Verbs(root));
        Assert.Equal("/voice/wait", root.Element("Enqueue")!.Attribute("waitUrl")!.Value);
        Assert.Equal("no-input", Assert.Single(await App.History.CallsAsync(default)).IvrChoice);
    }

    [SkippableFact]
    public async Task AGetWithAQueryStringWorksLikeAPost()
    {
        using var client = App.SignedClient();
        var query = string.Join("&", Call(NewCallSid(), extra: ("Digits", "1")).Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        using var response = await client.GetAsync(new Uri("/voice/menu?" + query, UriKind.Relative));
        response.EnsureSuccessStatusCode();
        var root = XDocument.Parse(await response.Content.ReadAsStringAsync()).Root!;
        Assert.Equal(["Say", "Enqueue"], Verbs(root));
    }

    [SkippableFact]
    public async Task EveryTimestampComesFromTheInjectedClock()
    {
        App.Clock.SetUtcNow(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero));
        await App.TwimlAsync("/voice/incoming", Call(NewCallSid()));
        var ev = Assert.Single(await App.History.EventsAsync(default));
        Assert.Equal(new DateTimeOffset(2030, 1, 2, 3, 4, 5, TimeSpan.Zero).ToUnixTimeMilliseconds(), ev.OccurredAt);
    }
}
