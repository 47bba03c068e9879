using System.Globalization;
using System.Xml;
using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>Requests, how Twilio reads an answer (its media type, its TwiML), and what it does when it cannot.</summary>
public sealed partial class EmulatedCall
{
    private static readonly HashSet<string> MainVerbs = ["Say", "Play", "Pause", "Gather", "Redirect", "Hangup", "Reject", "Enqueue", "Dial", "Record", "Leave"];
    private static readonly HashSet<string> WaitVerbs = ["Play", "Say", "Pause", "Gather", "Redirect", "Leave", "Hangup"];
    private static readonly HashSet<string> WhisperVerbs = ["Play", "Say", "Pause", "Redirect"];
    private static readonly HashSet<string> PromptVerbs = ["Say", "Play", "Pause"];
    private static readonly HashSet<string> DialNouns = ["Number", "Client", "Queue", "Sip", "Conference", "Application"];

    internal async Task StartAsync()
    {
        // A call placed ahead of time (PlaceCall) starts now: its CallDuration counts from here.
        _startedAt = _t.Now;
        Notify(new CallStarted());
        await FetchAndRunAsync(_route.VoiceUrl!, null, _route.Method, [], Context.Main);
    }

    /// <summary>Twilio's standard parameters for this call, then <paramref name="extra"/>.</summary>
    private List<KeyValuePair<string, string>> Parameters(IEnumerable<(string Key, string Value)> extra, string? status = null)
    {
        var first = !_anyRequest;
        _anyRequest = true;
        var list = new List<KeyValuePair<string, string>>
        {
            new("CallSid", CallSid), new("AccountSid", _t.Options.AccountSid), new("From", From), new("To", To),
            new("CallStatus", status ?? (Ended ? "completed" : first && !_answered ? "ringing" : "in-progress")), new("ApiVersion", "2010-04-01"),
            new("Direction", Direction), new("Caller", From), new("Called", To),
        };
        if (Parent is { } parent)
        {
            list.Add(KeyValuePair.Create("ParentCallSid", parent.CallSid));
        }

        list.AddRange(_route.Always);
        if (first)
        {
            list.AddRange(_route.FirstOnly);
        }

        list.AddRange(extra.Select(e => KeyValuePair.Create(e.Key, e.Value)));
        return list;
    }

    private async Task FetchAndRunAsync(string url, string? baseUrl, string method, IEnumerable<(string, string)> extra, Context context)
    {
        var fetched = await _t.FetchAsync(this, url, baseUrl, method, Parameters(extra));
        if (Ended && context is Context.Main or Context.Screen)
        {
            return; // a request made after the call ended (e.g. the Enqueue action after a hang-up): its TwiML is ignored
        }

        var frame = fetched is null ? null : Read(fetched, context);
        if (frame is null)
        {
            await FailAsync(context);
            return;
        }

        if (context is Context.Wait or Context.Whisper or Context.Screen)
        {
            _sub = frame;
        }

        await RunAsync(frame);
    }

    /// <summary>What Twilio does with an answer, by its media type (the TwiML page's "Twilio understands MIME types").</summary>
    private Frame? Read(Fetched answer, Context context)
    {
        var type = answer.MediaType?.ToLowerInvariant();
        switch (type)
        {
            case null:
                return Invalid(answer.Url, "no Content-Type (error 12300)", 12300);
            case "text/xml" or "application/xml" or "text/html":
                return Parse(answer.Body, answer.Url, context);
            case "text/plain":
                // Valid TwiML served as text is carried out; any other text is read aloud, then the call hangs up.
                return IsTwiml(answer.Body)
                    ? Parse(answer.Body, answer.Url, context)
                    : Synthesized(answer.Url, context, new XElement("Say", answer.Body.Trim()), new XElement("Hangup"));
            case var audio when audio.StartsWith("audio/", StringComparison.Ordinal):
                return Synthesized(answer.Url, context, new XElement("Play", answer.Url), new XElement("Hangup"));
            default:
                return Invalid(answer.Url, $"Content-Type {type} is not TwiML (error 12300)", 12300);
        }
    }

    private static bool IsTwiml(string body)
    {
        try
        {
            return XDocument.Parse(body).Root is { Name.LocalName: "Response" } root && root.Name.Namespace == XNamespace.None;
        }
        catch (XmlException)
        {
            return false;
        }
    }

    private Frame Synthesized(string url, Context context, params XElement[] verbs) => new([.. verbs], url, context) { StartedAt = _t.Now };

    private Frame? Invalid(string url, string reason, int code)
    {
        _t.Error(this, url, reason, code);
        return null;
    }

    private Frame? Parse(string body, string url, Context context)
    {
        XElement root;
        try
        {
            if (body.Length > 0 && char.IsWhiteSpace(body[0]))
            {
                return Invalid(url, "whitespace before the XML declaration (error 12100)", 12100);
            }

            root = XDocument.Parse(body).Root!;
        }
        catch (XmlException ex)
        {
            return Invalid(url, "invalid XML (error 12100): " + ex.Message, 12100);
        }

        if (root.Name.LocalName != "Response" || root.Name.Namespace != XNamespace.None)
        {
            return Invalid(url, $"the root is <{root.Name.LocalName}>, not <Response> (error 12100)", 12100);
        }

        var allowed = context switch
        {
            Context.Wait => WaitVerbs,
            Context.Whisper => WhisperVerbs,
            _ => MainVerbs,
        };
        foreach (var verb in root.Elements())
        {
            var name = verb.Name.LocalName;
            if (!MainVerbs.Contains(name))
            {
                return Invalid(url, $"unknown verb <{name}> (error 12200)", 12200);
            }

            if (context == Context.Screen && name == "Dial")
            {
                return Invalid(url, "<Dial> in the called party's document (error 13201: cannot dial out from a Dial call segment)", 13201);
            }

            if (!allowed.Contains(name))
            {
                return Invalid(url, $"<{name}> is not allowed in a {context.ToString().ToLowerInvariant()} document (error 12200)", 12200);
            }

            var nesting = name switch
            {
                "Gather" => verb.Elements().FirstOrDefault(e => !PromptVerbs.Contains(e.Name.LocalName)),
                "Dial" => verb.Elements().FirstOrDefault(e => !DialNouns.Contains(e.Name.LocalName)),
                "Say" => null, // may hold SSML
                _ => verb.Elements().FirstOrDefault(),
            };
            if (nesting is not null)
            {
                return Invalid(url, $"<{nesting.Name.LocalName}> cannot be nested in <{name}> (error 12200)", 12200);
            }

            if (name == "Redirect" && string.IsNullOrWhiteSpace(verb.Value))
            {
                return Invalid(url, "<Redirect> without a URL (undocumented; treated as error 12200)", 12200);
            }
        }

        return new Frame(root.Elements().ToList(), url, context) { StartedAt = _t.Now };
    }

    /// <summary>
    /// Twilio could not go on (the error is recorded). A failing main document goes to the Fallback URL when one is
    /// configured, with ErrorCode and ErrorUrl, and its TwiML continues the call; otherwise (or when the wait music or the
    /// guidance failed) the caller hears Twilio's apology and the call ends. Whether Twilio asks the Fallback URL again
    /// when its own answer fails is not documented: here it is not asked twice at one instant, so a fallback that fails
    /// at once (itself, or a URL it redirects to) ends in the apology instead of a loop.
    /// </summary>
    private async Task FailAsync(Context context)
    {
        var error = LastError!;
        Notify(new CallFailed(error));
        if (context == Context.Screen)
        {
            await HangUpNowAsync(); // the called party's document failed: Twilio drops that leg
            return;
        }

        if (context == Context.Main && _route.FallbackUrl is { } fallback && _fallbackAt != _t.Now)
        {
            Line("event", $"application error {error.Code}: the Fallback URL takes over");
            _fallbackAt = _t.Now;
            await FetchAndRunAsync(fallback, null, _route.FallbackMethod,
                [("ErrorCode", error.Code.ToString(CultureInfo.InvariantCulture)), ("ErrorUrl", error.Url)], Context.Main);
            return;
        }

        Line("event", "application error: Twilio's apology, then the call ends");
        var dequeuer = State == CallState.BeingConnected ? _enqueue?.Dequeuer : null;
        _sub?.Cancel();
        _gather = null;
        _enqueue?.Queue.Members.RemoveAll(m => m.Call == this);
        _answered = true; // Twilio answers to play its message
        State = CallState.InProgress;
        if (dequeuer is { _dial: { } d, State: CallState.BeingConnected })
        {
            await dequeuer.DialEndedAsync(d, "failed", bridged: false, duration: 0, CallSid);
        }

        // A main document that runs out of verbs hangs up.
        await RunAsync(Synthesized(error.Url, Context.Main, new XElement("Say", TwilioEmulator.ApplicationErrorMessage)));
    }
}
