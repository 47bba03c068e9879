using MiniCC.Menu;

namespace MiniCC.Tests.Menu;

/// <summary>Every problem MenuCheck finds, each alone in an otherwise good menu, with the sentence a manager reads.</summary>
public sealed class MenuCheckTests
{
    private static readonly MenuCheckContext Center = new("ja-JP", VoicemailEnabled: true, CallbacksEnabled: true, Queues: ["support", "sales"]);

    /// <summary>A good menu: 1 for sales, 2 to hear goodbye.</summary>
    internal static MenuOptions Good() => new()
    {
        Start = "main",
        Nodes =
        {
            ["main"] = new()
            {
                Type = MenuNodeTypes.Menu,
                Say = [new() { Ja = "ご用件の番号を押してください。" }],
                Options = [new() { Key = "1", Next = "sales" }, new() { Key = "2", Next = "bye" }],
            },
            ["sales"] = new() { Type = MenuNodeTypes.Queue, Queue = "sales" },
            ["bye"] = new() { Type = MenuNodeTypes.Hangup, Say = [new() { Prompt = "ThankYou" }] },
        },
    };

    private static MenuNode Top(MenuOptions tree) => tree.Nodes["main"];

    private static void AssertOnly(string message, Action<MenuOptions> change, MenuCheckContext? context = null)
    {
        var tree = Good();
        change(tree);
        Assert.Equal([message], MenuCheck.Problems(tree, context ?? Center));
    }

    [Theory]
    [InlineData("ja-JP", false, false)]
    [InlineData("en-US", true, true)]
    public void TheOriginalMenuHasNoProblem(string language, bool voicemail, bool callbacks) =>
        Assert.Empty(MenuCheck.Problems(MenuDefaults.Original(), new(language, voicemail, callbacks, ["MiniCC"])));

    [Fact]
    public void TheGoodMenuOfTheseTestsHasNoProblem() => Assert.Empty(MenuCheck.Problems(Good(), Center));

    [Fact]
    public void ACallerNodeWithoutNumbersOrWithANumberThatIsNotE164IsRefused()
    {
        AssertOnly("Node 'who': a caller node has no Numbers; list the numbers that go to Listed.", t =>
        {
            t.Nodes["who"] = new() { Type = MenuNodeTypes.Caller, Listed = "sales", Others = "main" };
            t.Start = "who";
        });
        AssertOnly("Node 'who': the number '090-1234-5678' must be an E.164 number such as +819012345678.", t =>
        {
            t.Nodes["who"] = new() { Type = MenuNodeTypes.Caller, Numbers = ["090-1234-5678"], Listed = "sales", Others = "main" };
            t.Start = "who";
        });
    }

    [Fact]
    public void AQueueNodeThatNamesNoQueueOfTheCenterIsRefused() =>
        AssertOnly("Node 'sales': the Queue 'sale' is not one of the center's queues (support, sales); name one of MiniCC:Queues, or leave it out for the first.",
            t => t.Nodes["sales"].Queue = "sale");

    [Fact]
    public void SpokenWordsWithACommaAreRefusedSinceTwilioTakesThemAsHints() =>
        AssertOnly("Node 'main', option 1: the words 'sales, orders' must be 1 to 100 characters without a comma (Twilio takes them as hints).", t =>
        {
            Top(t).Speech = true;
            Top(t).Options[0].Words["ja-JP"] = ["sales, orders"];
            Top(t).Options[1].Words["ja-JP"] = ["さようなら"];
        });

    [Fact]
    public void AMenuWithoutStartIsRefused() =>
        AssertOnly("The menu has no Start: name the node every call begins at.", t => t.Start = "");

    [Fact]
    public void AStartThatNamesNoNodeIsRefused() =>
        AssertOnly("The menu's Start 'welcome' is no node; it must be one of 'main', 'sales', 'bye'.", t => t.Start = "welcome");

    [Fact]
    public void ANodeIdThatCannotBeInAUrlIsRefused()
    {
        AssertOnly("Node 'Sales_Team': the id must be 1 to 20 lower-case letters, digits or hyphens, beginning with a letter or digit.", t =>
        {
            t.Nodes["Sales_Team"] = t.Nodes["sales"];
            t.Nodes.Remove("sales");
            Top(t).Options[0].Next = "Sales_Team";
        });
    }

    [Fact]
    public void AnUnknownTypeIsRefused() =>
        AssertOnly("Node 'sales': the type 'queu' is unknown; it must be one of menu, say, queue, information, hangup, hours, caller, closed, voicemail, callback, dial, language.",
            t => t.Nodes["sales"].Type = "queu");

    [Fact]
    public void AnOptionLeadingToNoNodeIsAnUnknownTarget() =>
        AssertOnly("Node 'main', option 3: the target 'returns' is no node (unknown target).",
            t => Top(t).Options.Add(new() { Key = "3", Next = "returns" }));

    [Fact]
    public void SilenceLeadingToNoNodeIsAnUnknownTarget() =>
        AssertOnly("Node 'main': NoInput 'operator' is no node (unknown target).", t => Top(t).NoInput = "operator");

    [Fact]
    public void AnOptionLeadingNowhereIsRefused() =>
        AssertOnly("Node 'main', option 3: the option leads nowhere; name its node (Next).", t => Top(t).Options.Add(new() { Key = "3" }));

    [Fact]
    public void ANodeNoPathReachesIsUnreachable() =>
        AssertOnly("Node 'returns' is unreachable: no path from the Start 'main' leads to it. Remove it or add an option that leads to it.",
            t => t.Nodes["returns"] = new() { Type = MenuNodeTypes.Queue });

    [Fact]
    public void ALoopACallerCannotLeaveIsNamed()
    {
        var tree = Good();
        Top(tree).Options = [new() { Key = "1", Next = "again" }];
        tree.Nodes["again"] = new() { Type = MenuNodeTypes.Say, Say = [new() { Ja = "もう一度どうぞ。" }], Next = "main" };
        tree.Nodes.Remove("sales");
        tree.Nodes.Remove("bye");
        Assert.Equal(
            ["Nodes 'main', 'again' form a loop a caller cannot leave: none of them leads to a queue, information, hangup, closed, voicemail, callback, dial or a say without Next. Give one of them a way out."],
            MenuCheck.Problems(tree, Center));
    }

    [Fact]
    public void ATextMissingInALanguageTheMenuIsHeardInIsRefused()
    {
        AssertOnly("Node 'main', Say 1: the text in en-US is missing (En); the menu is heard in ja-JP and en-US.", t =>
        {
            t.Nodes["english"] = new() { Type = MenuNodeTypes.Language, Language = "en-US", Next = "main" };
            t.Start = "english";
        });
        AssertOnly("Node 'main', Say 1: the text in en-US is missing (En); the menu is heard in en-US.", _ => { }, Center with { Language = "en-US" });
    }

    [Fact]
    public void AnUnknownPromptIsRefused() =>
        AssertOnly("Node 'bye', Say 1: the Prompt 'Goodbye' is no prompt; use a MiniCC:Prompts name such as Welcome, Menu or Connecting.",
            t => t.Nodes["bye"].Say[0].Prompt = "Goodbye");

    [Fact]
    public void AnAudioUrlThatIsNotHttpIsRefused() =>
        AssertOnly("Node 'sales', Say 1: the AudioUrl must be an absolute http(s) URL.",
            t => t.Nodes["sales"].Say = [new() { AudioUrl = "file:///tmp/hello.mp3" }]);

    [Fact]
    public void ATextThatIsBothAPromptAndAnAudioUrlIsRefused() =>
        AssertOnly("Node 'bye', Say 1: give exactly one of a text (Ja, En), an AudioUrl or a Prompt.",
            t => t.Nodes["bye"].Say[0].AudioUrl = "https://example.com/bye.mp3");

    [Fact]
    public void AMenuWithoutOptionsIsRefused()
    {
        var tree = Good();
        Top(tree).Options = [];
        Top(tree).NoInput = "sales";
        tree.Nodes.Remove("bye");
        Assert.Equal(["Node 'main': a menu has no options; give it at least one (Options)."], MenuCheck.Problems(tree, Center));
    }

    [Fact]
    public void AKeyUsedTwiceIsRefused() =>
        AssertOnly("Node 'main': the key '1' is used twice; each option needs a key of its own.", t => Top(t).Options[1].Key = "1");

    [Fact]
    public void AKeyThatIsNoPhoneKeyIsRefused() =>
        AssertOnly("Node 'main', option 12: the key '12' must be one of 0-9, * or #.", t => Top(t).Options[1].Key = "12");

    [Fact]
    public void AChoiceThatCannotBeRecordedIsRefused() =>
        AssertOnly("Node 'main', option 1: the Choice 'Sales Team' must be 1 to 20 lower-case letters, digits or hyphens (it is recorded in the history).",
            t => Top(t).Options[0].Choice = "Sales Team");

    [Fact]
    public void SpeechWordsThatChooseTwoOptionsAreRefused() =>
        AssertOnly("Node 'main': the words '注文' (ja-JP) choose two options; each option needs words of its own.", t =>
        {
            Top(t).Speech = true;
            Top(t).Options[0].Words["ja-JP"] = ["注文", "購入"];
            Top(t).Options[1].Words["ja-JP"] = [" 注文"];
        });

    [Fact]
    public void ASpeechMenuWithoutWordsInALanguageItIsHeardInIsRefused() =>
        AssertOnly("Node 'main': the menu takes speech but no option has Words in ja-JP, a language the menu is heard in.", t =>
        {
            Top(t).Speech = true;
            Top(t).Options[0].Words["en-US"] = ["sales"];
        });

    [Fact]
    public void WordsOnAMenuWithoutSpeechAreRefused() =>
        AssertOnly("Node 'main', option 1: Words are set but the menu does not take speech; set Speech to true, or remove them.",
            t => Top(t).Options[0].Words["ja-JP"] = ["営業"]);

    [Fact]
    public void MinConfidenceOutsideZeroToOneIsRefused() =>
        AssertOnly("Node 'main': MinConfidence is 1.5; it must be 0 to 1.", t => Top(t).MinConfidence = 1.5);

    [Theory]
    [InlineData(0)]
    [InlineData(61)]
    public void TimeoutSecondsOutsideOneToSixtyIsRefused(int seconds) =>
        AssertOnly($"Node 'main': TimeoutSeconds is {seconds}; it must be 1 to 60.", t => Top(t).TimeoutSeconds = seconds);

    [Fact]
    public void MaxRetriesOutsideZeroToTenIsRefused() =>
        AssertOnly("Node 'main': MaxRetries is 11; it must be 0 (no limit) to 10.", t => { Top(t).MaxRetries = 11; Top(t).Invalid = "bye"; });

    [Fact]
    public void InvalidThatNoWrongKeyReachesIsRefused() =>
        AssertOnly("Node 'main': Invalid is set but MaxRetries is 0 (wrong keys re-prompt without limit), so it is never used; set MaxRetries.",
            t => Top(t).Invalid = "bye");

    [Fact]
    public void MaxRetriesWithoutInvalidIsRefused() =>
        AssertOnly("Node 'main': MaxRetries is set but Invalid is not; name the node wrong keys lead to.", t => Top(t).MaxRetries = 3);

    [Fact]
    public void ADialNumberThatIsNotE164IsRefused() =>
        AssertOnly("Node 'sales': the Number '03-1234-5678' must be an E.164 number such as +81312345678.",
            t => t.Nodes["sales"] = new() { Type = MenuNodeTypes.Dial, Number = "03-1234-5678" });

    [Fact]
    public void ALanguageMiniCCDoesNotSpeakIsRefused() =>
        AssertOnly("Node 'sales': the Language 'fr-FR' must be one of ja-JP, en-US.",
            t => t.Nodes["sales"] = new() { Type = MenuNodeTypes.Language, Language = "fr-FR", Next = "bye" });

    [Fact]
    public void AVoicemailNodeWhileVoicemailIsOffIsRefused() =>
        AssertOnly("Node 'sales': a voicemail node needs voicemail on, but MiniCC:Voicemail:Enabled is false.",
            t => t.Nodes["sales"] = new() { Type = MenuNodeTypes.Voicemail }, Center with { VoicemailEnabled = false });

    [Fact]
    public void ACallbackNodeWithoutACallerIdIsRefused() =>
        AssertOnly("Node 'sales': a callback node needs callbacks on, but MiniCC:Callbacks:CallerId is empty.",
            t => t.Nodes["sales"] = new() { Type = MenuNodeTypes.Callback }, Center with { CallbacksEnabled = false });

    [Fact]
    public void APropertyTheTypeDoesNotReadIsRefusedRatherThanIgnored() =>
        AssertOnly("Node 'bye': a hangup node has no Options; remove it (it would be ignored).",
            t => t.Nodes["bye"].Options = [new() { Key = "1", Next = "main" }]);

    [Fact]
    public void NodesMissingWhatTheirTypeNeedsAreRefused()
    {
        AssertOnly("Node 'sales': a hours node needs Closed.", t => t.Nodes["sales"] = new() { Type = MenuNodeTypes.Hours, Open = "bye" });
        AssertOnly("Node 'sales': a language node needs Next.", t => t.Nodes["sales"] = new() { Type = MenuNodeTypes.Language, Language = "ja-JP" });
        AssertOnly("Node 'bye': a say node must say something (Say).", t => t.Nodes["bye"] = new() { Type = MenuNodeTypes.Say });
    }

    [Fact]
    public void EveryProblemIsListedAtOnce()
    {
        var tree = Good();
        Top(tree).Options[1].Key = "1";
        tree.Nodes["sales"].Type = "queu";
        tree.Nodes["orphan"] = new() { Type = MenuNodeTypes.Information };
        Assert.Equal(3, MenuCheck.Problems(tree, Center).Count);
    }
}
