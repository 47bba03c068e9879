using Microsoft.Extensions.DependencyInjection;
using MiniCC.Emulator;
using MiniCC.Operators;
using MiniCC.Voice;

namespace MiniCC.Tests.EndToEnd;

/// <summary>
/// A caller the menu left in English keeps English after a key in the queue: the callback (*) and the voicemail (#)
/// are offered, confirmed and taken in English, and so is the choice offered when nobody serves their queue.
/// </summary>
public sealed class QueueLanguageTests : IDisposable
{
    private const string Menu = """
        {
          "Start": "lang",
          "Nodes": {
            "lang": {
              "Type": "menu",
              "Say": [ { "Ja": "日本語は1を、For English, press 2.", "En": "日本語は1を、For English, press 2." } ],
              "Options": [ { "Key": "1", "Next": "support", "Choice": "ja" }, { "Key": "2", "Next": "en", "Choice": "en" } ],
              "NoInput": "support"
            },
            "en": { "Type": "language", "Language": "en-US", "Next": "english" },
            "support": { "Type": "queue", "Queue": "support", "Say": [ { "Prompt": "Connecting" } ] },
            "english": { "Type": "queue", "Queue": "english", "Say": [ { "En": "Connecting you to our English-speaking team.", "Ja": "英語担当におつなぎします。" } ] }
          }
        }
        """;

    private const string Smith = "+819010000002";

    private static readonly PromptSet English = PromptSet.Find("en-US")!;

    private readonly string _directory = Directory.CreateTempSubdirectory("minicc-lang-").FullName;

    private readonly CallCenter _center;

    public QueueLanguageTests()
    {
        var menu = Path.Combine(_directory, "menu.json");
        File.WriteAllText(menu, Menu);
        _center = CallCenter.Open("sqlite", new(CallbackTests.Settings())
        {
            ["MiniCC:Menu:File"] = menu,
            ["MiniCC:Queues:0:Name"] = "support",
            ["MiniCC:Queues:1:Name"] = "english",
            ["MiniCC:Voicemail:Enabled"] = "true",
        });
    }

    private TwilioEmulator Twilio => _center.Twilio;

    public void Dispose()
    {
        _center.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    /// <summary>A caller who chooses English (2); then <paramref name="seconds"/> pass (the queue's offers take about 25).</summary>
    private async Task<EmulatedCall> EnglishCallerAsync(string from, int seconds = 25)
    {
        var call = await Twilio.DialAsync(from);
        await call.PressAsync("2");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(seconds));
        return call;
    }

    [Fact]
    public async Task AnEnglishCallerIsOfferedTheCallbackAndTheVoicemailInEnglishInTheQueueAndWhenNobodyServesIt()
    {
        await _center.AddOperatorAsync(Smith, "Smith");
        var smith = await _center.App.Operators.FindAsync(Smith, default);
        await _center.App.Services.GetRequiredService<OperatorSkills>().SetAsync(smith!.Id, [new Skill("english", 5)], default);
        var op = await Twilio.DialAsync(Smith);
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(15));
        var first = await EnglishCallerAsync("+819020000001");
        Assert.Same(op, first.ConnectedTo);

        // In the queue: * for a callback, confirmed and taken in English.
        var asker = await EnglishCallerAsync("+819020000002");
        Assert.Equal(CallState.InQueue, asker.State);
        Assert.Contains(English.CallbackOffer, asker.Heard);
        await asker.PressAsync("*");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, English.CallbackConfirm, "0 9 0 2 0 0 0 0 0 0 2"), asker.Heard);
        await asker.PressAsync("1");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(20));
        Assert.Contains(string.Format(System.Globalization.CultureInfo.InvariantCulture, English.CallbackAccepted, "0 9 0 2 0 0 0 0 0 0 2"), asker.Heard);
        Assert.Equal(CallState.Completed, asker.State);

        // In the queue: # for a voicemail, in English.
        var leaver = await EnglishCallerAsync("+819020000003");
        await leaver.PressAsync("#");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains(English.VoicemailPrompt, leaver.Heard);

        // Nobody serves the English queue any more: the choice, and the voicemail chosen, in English.
        await first.HangUpAsync();
        await op.HangUpAsync();
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(5));
        var late = await EnglishCallerAsync("+819020000004", seconds: 6);
        Assert.Contains(English.NoOperator, late.Heard);
        await late.PressAsync("2");
        await Twilio.AdvanceAsync(TimeSpan.FromSeconds(3));
        Assert.Contains(English.VoicemailPrompt, late.Heard);

        // None of them heard a Japanese prompt after the menu's first question.
        foreach (var call in new[] { asker, leaver, late })
        {
            Assert.DoesNotContain(call.Heard.Skip(1), said => said.Any(c => c is >= '\u3040' and <= '\u30ff'));
        }
    }
}
