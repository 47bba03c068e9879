using System.Globalization;
using System.Reflection;
using MiniCC.Menu;
using MiniCC.Operators;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>
/// A customer's way through the center's menu (<c>MiniCC:Menu</c>, or the original's when none is configured): from the
/// start node, the nodes that only decide or speak (hours, language, say) run at once in one document; a menu node
/// waits for a key in a <c>&lt;Gather&gt;</c>; the others end the menu (a queue, the information, a voicemail…).
/// Where the caller is travels in the URLs Twilio calls back (<c>node</c>, <c>try</c>, <c>lang</c>), each left out at its
/// default, so the original's menu is the same TwiML as it always was.
/// </summary>
public sealed partial class CallFlow
{
    /// <summary>Where a caller is in the menu: the node, the wrong keys so far, the call's language.</summary>
    public sealed record MenuPlace(string? Node, int Try, string? Language);

    /// <summary>A walk through nodes that only decide or speak cannot be longer (validation refuses a loop; this is the belt).</summary>
    private const int MaxSteps = 32;

    private MenuTree Tree => menu;

    /// <summary>The first menu a caller reaches from the start while the center is open: its URLs carry no <c>node</c>.</summary>
    private string? HomeMenu => _home ??= FindHome();

    private string? _home;

    private async Task<VoiceResponse> StartMenuAsync(VoiceWebhook hook, CancellationToken ct) =>
        await WalkAsync(new VoiceResponse(), hook, Tree.Start, new MenuPlace(null, 1, null), first: true, ct);

    /// <summary>A key (or nothing) at a menu node: the option it chooses, or the menu again.</summary>
    public async Task<VoiceResponse> MenuAsync(VoiceWebhook hook, MenuPlace place, CancellationToken ct)
    {
        var (id, node) = MenuNodeOf(place);
        var option = hook.Digits is { Length: > 0 } digits
            ? node.Options.FirstOrDefault(o => o.Key == digits)
            : node.Speech && hook.SpeechResult is { } said ? SpokenOption(node, said, hook.Confidence, PromptsFor(place.Language).Language) : null;
        if (option is not null)
        {
            await recorder.RecordAsync(new MenuChoice { Hook = hook, At = Now, Id = IdFor(hook), Choice = option.Choice ?? option.Next });
            return await WalkAsync(new VoiceResponse(), hook, option.Next, place with { Node = null, Try = 1 }, first: false, ct);
        }

        await recorder.RecordAsync(new MenuChoice { Hook = hook, At = Now, Id = IdFor(hook), Choice = "invalid" });
        var tries = place.Try + 1;
        return node.MaxRetries > 0 && tries > node.MaxRetries && node.Invalid is { } invalid
            ? await WalkAsync(new VoiceResponse(), hook, invalid, place with { Try = 1 }, first: false, ct)
            : Gather(new VoiceResponse(), id, node, place with { Try = tries }, first: false, retry: true);
    }

    /// <summary>Silence at a menu node: where its <see cref="MenuNode.NoInput"/> leads, or the menu again.</summary>
    public async Task<VoiceResponse> NoInputAsync(VoiceWebhook hook, MenuPlace place, CancellationToken ct)
    {
        var (id, node) = MenuNodeOf(place);
        await recorder.RecordAsync(new MenuChoice { Hook = hook, At = Now, Id = IdFor(hook), Choice = "no-input" });
        return node.NoInput is { } next
            ? await WalkAsync(new VoiceResponse(), hook, next, place with { Try = 1 }, first: false, ct)
            : Gather(new VoiceResponse(), id, node, place, first: false, retry: true);
    }

    /// <summary>
    /// The menu node a request names (none: the home menu). A name the tree no longer holds (the menu changed while the
    /// caller was in it) is the home menu: the caller chooses again rather than being dropped.
    /// </summary>
    private (string Id, MenuNode Node) MenuNodeOf(MenuPlace place)
    {
        foreach (var id in new[] { place.Node, HomeMenu })
        {
            if (id is not null && Tree.Nodes.TryGetValue(id, out var node) && node.Type == MenuNodeTypes.Menu)
            {
                return (id, node);
            }
        }

        // No menu to go back to: the error handler apologises and queues the caller.
        throw new InvalidOperationException($"MiniCC:Menu has no menu node '{place.Node}' and no menu reached from its start.");
    }

    private async Task<VoiceResponse> WalkAsync(VoiceResponse r, VoiceWebhook hook, string id, MenuPlace place, bool first, CancellationToken ct)
    {
        for (var step = 0; step < MaxSteps; step++)
        {
            var node = Tree.Nodes[id];
            var p = PromptsFor(place.Language);
            switch (node.Type)
            {
                case MenuNodeTypes.Hours:
                    id = hours.IsOpen(time.GetUtcNow()) ? node.Open! : node.Closed!;
                    continue;
                case MenuNodeTypes.Caller:
                    id = PhoneNumber.Normalize(hook.From, _o.DefaultCountryCode, out _) is { } from && node.Numbers.Contains(from) ? node.Listed! : node.Others!;
                    continue;
                case MenuNodeTypes.Language:
                    place = place with { Language = node.Language == _o.Language ? null : node.Language };
                    id = node.Next!;
                    continue;
                case MenuNodeTypes.Say:
                    SpeakTo(r, node.Say, p);
                    if (node.Next is null)
                    {
                        return r.Hangup();
                    }

                    id = node.Next;
                    continue;
                case MenuNodeTypes.Menu:
                    return Gather(r, id, node, place with { Node = id == HomeMenu ? null : id }, first, retry: false);
                case MenuNodeTypes.Queue:
                    return await ToOperatorAsync(r, q => SpeakTo(q, node.Say, p), queues.Find(node.Queue), place.Language, ct);
                case MenuNodeTypes.Information:
                    return r.Redirect(Url(VoiceRoutes.Information), "POST");
                case MenuNodeTypes.Closed:
                    return await ClosedAsync(r, hook, ct);
                case MenuNodeTypes.Voicemail:
                    SpeakTo(r, node.Say, p);
                    return r.Redirect(Url(VoiceRoutes.Voicemail) + "?reason=" + VoicemailReasons.Menu + LanguageQuery(place.Language), "POST");
                case MenuNodeTypes.Callback:
                    SpeakTo(r, node.Say, p);
                    return r.Redirect(Url(VoiceRoutes.CallbackNumber) + "?at=menu&since=" + Now.ToString(CultureInfo.InvariantCulture) + LanguageQuery(place.Language), "POST");
                case MenuNodeTypes.Dial:
                    SpeakTo(r, node.Say, p);
                    return r.Dial(new DialOptions(), d => d.Number(node.Number!)).Hangup();
                default: // hangup
                    SpeakTo(r, node.Say, p);
                    return r.Hangup();
            }
        }

        throw new InvalidOperationException($"MiniCC:Menu: more than {MaxSteps} nodes in a row without a caller's choice, from '{Tree.Start}'.");
    }

    /// <summary>A menu node's Gather: every prompt inside it, so a caller who knows the menu can press at once.</summary>
    private VoiceResponse Gather(VoiceResponse r, string id, MenuNode node, MenuPlace place, bool first, bool retry)
    {
        var p = PromptsFor(place.Language);
        var query = Query(place with { Node = id == HomeMenu ? null : id, Try = node.MaxRetries > 0 ? place.Try : 1 });
        return r.Gather(new GatherOptions
            {
                Input = node.Speech ? "dtmf speech" : "dtmf",
                Language = node.Speech ? p.Language : null,
                Hints = node.Speech && node.Options.SelectMany(o => o.Words.GetValueOrDefault(p.Language) ?? []).ToList() is { Count: > 0 } hints ? hints : null,
                SpeechTimeout = node.Speech ? "auto" : null,
                NumDigits = 1,
                Timeout = node.TimeoutSeconds ?? _o.MenuTimeoutSeconds,
                Action = Url(VoiceRoutes.Menu) + query,
                Method = "POST",
            }, g =>
            {
                void Say(string text, string voice, string language) => g.Say(text, voice, language);
                void Play(string url) => g.Play(url);
                Speak(first ? node.Greeting : [], p, Say, Play);
                Speak(retry ? node.Retry : [], p, Say, Play);
                Speak(node.Say, p, Say, Play);
            })
            .Redirect(Url(VoiceRoutes.NoInput) + query, "POST");
    }

    /// <summary>
    /// The option whose words (in the call's language) the caller said: the words are looked for in what Twilio heard,
    /// ignoring case, spaces and punctuation. Speech Twilio is not sure enough of, no option's words, or two options'
    /// words, choose nothing (the menu asks again, as after a wrong key).
    /// </summary>
    private static MenuOption? SpokenOption(MenuNode node, string said, double? confidence, string language)
    {
        if (confidence is { } c && c < node.MinConfidence)
        {
            return null;
        }

        var heard = Plain(said);
        var matches = node.Options.Where(o => (o.Words.GetValueOrDefault(language) ?? []).Any(w => Plain(w) is { Length: > 0 } word && heard.Contains(word, StringComparison.Ordinal)))
            .ToList();
        return matches.Count == 1 ? matches[0] : null;
    }

    /// <summary>Letters and digits only, lower-case: 「ご注文、です。」 and "Orders!" compare as 「ご注文です」 and "orders".</summary>
    private static string Plain(string text) => string.Concat(text.Where(char.IsLetterOrDigit)).ToLowerInvariant();

    /// <summary>The URL's query for a place: each part left out at its default.</summary>
    private static string Query(MenuPlace place) => QueryOf('?',
        place.Node is null ? null : "node=" + place.Node,
        place.Try > 1 ? "try=" + place.Try.ToString(CultureInfo.InvariantCulture) : null,
        place.Language is null ? null : "lang=" + place.Language);

    /// <summary>The parts that are set, joined after <paramref name="first"/> (<c>?</c> or <c>&amp;</c>); nothing when none is.</summary>
    private static string QueryOf(char first, params string?[] parts) =>
        parts.Any(x => x is not null) ? first + string.Join('&', parts.Where(x => x is not null)) : "";

    /// <summary>Says (or plays) each text in the call's language: a text of that language, an audio URL, or a prompt by name.</summary>
    private static void Speak(IEnumerable<MenuText> texts, PromptSet p, Action<string, string, string> say, Action<string> play)
    {
        foreach (var t in texts)
        {
            if (t.AudioUrl is { } url)
            {
                play(url);
            }
            else if (t.Prompt is { } name)
            {
                say(PromptText(p, name), p.Voice, p.Language);
            }
            else if ((p.Language.StartsWith("ja", StringComparison.Ordinal) ? t.Ja : t.En) is { Length: > 0 } text)
            {
                say(text, p.Voice, p.Language);
            }
        }
    }

    /// <summary>Says (or plays) <paramref name="texts"/> as verbs of <paramref name="r"/>.</summary>
    private static void SpeakTo(VoiceResponse r, IEnumerable<MenuText> texts, PromptSet p) =>
        Speak(texts, p, (text, voice, language) => r.Say(text, voice, language), url => r.Play(url));

    /// <summary>Each prompt of a set by its <c>MiniCC:Prompts</c> name, looked up once: the original menu names its prompts on every call.</summary>
    private static readonly Dictionary<string, Func<PromptSet, string>> PromptsByName = typeof(PromptSet)
        .GetProperties(BindingFlags.Public | BindingFlags.Instance).Where(x => x.PropertyType == typeof(string))
        .ToDictionary(x => x.Name, x => (Func<PromptSet, string>)(set => (string)x.GetValue(set)!), StringComparer.Ordinal);

    /// <summary>A prompt of the set by its <c>MiniCC:Prompts</c> name (validated at start).</summary>
    private static string PromptText(PromptSet p, string name) =>
        PromptsByName.TryGetValue(name, out var text) ? text(p)
            : throw new InvalidOperationException($"MiniCC:Menu names the prompt '{name}', which MiniCC:Prompts does not have.");

    /// <summary>The prompts of a call's language: the center's (with its overrides), or another language's built-in set.</summary>
    public PromptSet PromptsFor(string? language) => language is null || language == _o.Language ? _p : PromptSet.Find(language) ?? _p;

    /// <summary><c>lang=</c> for a URL of a call whose language is not the center's (after <paramref name="first"/>), else nothing.</summary>
    public string LanguageQuery(string? language, char first = '&') => QueryOf(first, LanguagePart(language));

    /// <summary><c>lang=…</c> for a call whose language is not the center's, else null (left out of the URL).</summary>
    private string? LanguagePart(string? language) => language is not null && language != _o.Language ? "lang=" + language : null;

    private string? FindHome()
    {
        var id = Tree.Start;
        for (var step = 0; step < MaxSteps && Tree.Nodes.TryGetValue(id, out var node); step++)
        {
            switch (node.Type)
            {
                case MenuNodeTypes.Menu:
                    return id;
                case MenuNodeTypes.Hours:
                    id = node.Open!;
                    break;
                case MenuNodeTypes.Caller:
                    id = node.Others!;
                    break;
                case MenuNodeTypes.Language or MenuNodeTypes.Say when node.Next is not null:
                    id = node.Next;
                    break;
                default:
                    return null;
            }
        }

        return null;
    }
}
