using System.Globalization;
using System.Text;
using System.Xml;

namespace MiniCC.Twilio.TwiML;

/// <summary>
/// Builds a TwiML <c>&lt;Response&gt;</c> for Programmable Voice, verb by verb.
/// Nesting rules are enforced by the types: <see cref="Gather"/> only accepts the verbs Twilio
/// allows inside it, <see cref="Dial"/> only nouns. Text and attributes are XML-escaped.
/// </summary>
public sealed partial class VoiceResponse
{
    private readonly List<Action<XmlWriter>> _verbs = [];

    /// <summary>The number of verbs added so far.</summary>
    public int Count => _verbs.Count;

    /// <summary>Speaks <paramref name="text"/> with text-to-speech.</summary>
    /// <param name="text">What to say. Must not be empty.</param>
    /// <param name="voice">The TTS voice, e.g. <c>Polly.Mizuki</c>; omitted when null.</param>
    /// <param name="language">The language, e.g. <c>ja-JP</c>; omitted when null.</param>
    /// <param name="loop">How often to repeat (0 = until hang-up); omitted when null.</param>
    public VoiceResponse Say(string text, string? voice = null, string? language = null, int? loop = null)
    {
        _verbs.Add(SayWriter(text, voice, language, loop));
        return this;
    }

    /// <summary>Plays the audio file at <paramref name="url"/>.</summary>
    public VoiceResponse Play(string url, int? loop = null)
    {
        _verbs.Add(PlayWriter(url, loop));
        return this;
    }

    /// <summary>Waits silently for <paramref name="seconds"/> seconds (at least 1).</summary>
    public VoiceResponse Pause(int seconds = 1)
    {
        _verbs.Add(PauseWriter(seconds));
        return this;
    }

    /// <summary>
    /// Collects DTMF input. Prompts added through <paramref name="prompts"/> play while Twilio listens;
    /// a key press interrupts them. With no input, Twilio falls through to the next verb.
    /// </summary>
    public VoiceResponse Gather(GatherOptions options, Action<GatherPrompts>? prompts = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var nested = new GatherPrompts();
        prompts?.Invoke(nested);
        _verbs.Add(w =>
        {
            w.WriteStartElement("Gather");
            Attr(w, "input", options.Input);
            Attr(w, "action", options.Action);
            Attr(w, "method", options.Method);
            Attr(w, "numDigits", options.NumDigits);
            Attr(w, "timeout", options.Timeout);
            Attr(w, "finishOnKey", options.FinishOnKey);
            Attr(w, "actionOnEmptyResult", options.ActionOnEmptyResult is bool b ? (b ? "true" : "false") : null);
            Attr(w, "language", options.Language);
            Attr(w, "hints", options.Hints is { } hints ? string.Join(", ", hints) : null);
            Attr(w, "speechTimeout", options.SpeechTimeout);
            foreach (var verb in nested.Verbs)
            {
                verb(w);
            }

            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Fetches the next TwiML document from <paramref name="url"/>; later verbs are unreachable.</summary>
    public VoiceResponse Redirect(string url, string? method = null)
    {
        RequireUrl(url, nameof(url));
        CheckMethod(method);
        _verbs.Add(w =>
        {
            w.WriteStartElement("Redirect");
            Attr(w, "method", method);
            w.WriteString(url);
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Ends the call.</summary>
    public VoiceResponse Hangup()
    {
        _verbs.Add(w => w.WriteElementString("Hangup", null));
        return this;
    }

    /// <summary>Rejects the call without answering it (only effective as the first verb).</summary>
    public VoiceResponse Reject(string? reason = null)
    {
        if (reason is not null and not "rejected" and not "busy")
        {
            throw new ArgumentException("Reject reason must be 'rejected' or 'busy'.", nameof(reason));
        }

        _verbs.Add(w =>
        {
            w.WriteStartElement("Reject");
            Attr(w, "reason", reason);
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Puts the caller into the queue named <paramref name="queueName"/>.</summary>
    public VoiceResponse Enqueue(string queueName, EnqueueOptions? options = null)
    {
        RequireQueueName(queueName);
        options ??= new EnqueueOptions();
        CheckMethod(options.Method);
        CheckMethod(options.WaitUrlMethod);
        _verbs.Add(w =>
        {
            w.WriteStartElement("Enqueue");
            Attr(w, "action", options.Action);
            Attr(w, "method", options.Method);
            Attr(w, "waitUrl", options.WaitUrl);
            Attr(w, "waitUrlMethod", options.WaitUrlMethod);
            w.WriteString(queueName);
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Takes the caller out of its queue (only meaningful in a waitUrl document).</summary>
    public VoiceResponse Leave()
    {
        _verbs.Add(w => w.WriteElementString("Leave", null));
        return this;
    }

    /// <summary>Connects the caller to the parties added to <paramref name="nouns"/>.</summary>
    public VoiceResponse Dial(DialOptions options, Action<DialNouns> nouns)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(nouns);
        options.Validate();
        var nested = new DialNouns();
        nouns(nested);
        if (nested.Nouns.Count == 0)
        {
            throw new ArgumentException("Dial needs at least one noun.", nameof(nouns));
        }

        _verbs.Add(w =>
        {
            w.WriteStartElement("Dial");
            Attr(w, "action", options.Action);
            Attr(w, "method", options.Method);
            Attr(w, "timeout", options.Timeout);
            Attr(w, "callerId", options.CallerId);
            Attr(w, "timeLimit", options.TimeLimit);
            Attr(w, "record", options.Record);
            Attr(w, "recordingStatusCallback", options.RecordingStatusCallback);
            Attr(w, "recordingStatusCallbackEvent", options.RecordingStatusCallbackEvent);
            foreach (var noun in nested.Nouns)
            {
                noun(w);
            }

            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Writes the document: an XML declaration and the <c>&lt;Response&gt;</c> element.</summary>
    public override string ToString()
    {
        var sb = new StringBuilder(256);
        var settings = new XmlWriterSettings
        {
            Encoding = Encoding.UTF8,
            OmitXmlDeclaration = true,
            Indent = false,
            CheckCharacters = true,
        };
        sb.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
        using (var w = XmlWriter.Create(sb, settings))
        {
            w.WriteStartElement("Response");
            foreach (var verb in _verbs)
            {
                verb(w);
            }

            w.WriteEndElement();
        }

        return sb.ToString();
    }

    internal static Action<XmlWriter> SayWriter(string text, string? voice, string? language, int? loop)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("Say needs text.", nameof(text));
        }

        CheckLoop(loop);
        text = RemoveInvalidXmlChars(text);
        return w =>
        {
            w.WriteStartElement("Say");
            Attr(w, "voice", voice);
            Attr(w, "language", language);
            Attr(w, "loop", loop);
            w.WriteString(text);
            w.WriteEndElement();
        };
    }

    internal static Action<XmlWriter> PlayWriter(string url, int? loop)
    {
        RequireUrl(url, nameof(url));
        CheckLoop(loop);
        return w =>
        {
            w.WriteStartElement("Play");
            Attr(w, "loop", loop);
            w.WriteString(url);
            w.WriteEndElement();
        };
    }

    internal static Action<XmlWriter> PauseWriter(int seconds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(seconds, 1);
        return w =>
        {
            w.WriteStartElement("Pause");
            Attr(w, "length", seconds);
            w.WriteEndElement();
        };
    }

    internal static void RequireQueueName(string queueName)
    {
        if (string.IsNullOrWhiteSpace(queueName) || queueName.Length > 64)
        {
            throw new ArgumentException("A queue name must be 1 to 64 characters.", nameof(queueName));
        }
    }

    internal static void RequireUrl(string url, string paramName)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            throw new ArgumentException("A URL is required (Twilio's behaviour for an empty one is undocumented).", paramName);
        }
    }

    internal static void CheckMethod(string? method)
    {
        if (method is not null and not "GET" and not "POST")
        {
            throw new ArgumentException("method must be GET or POST.", nameof(method));
        }
    }

    private static void CheckLoop(int? loop)
    {
        if (loop < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(loop), "loop must be 0 or more.");
        }
    }

    internal static void Attr(XmlWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteAttributeString(name, RemoveInvalidXmlChars(value));
        }
    }

    internal static void Attr(XmlWriter w, string name, int? value)
    {
        if (value is int v)
        {
            w.WriteAttributeString(name, v.ToString(CultureInfo.InvariantCulture));
        }
    }

    /// <summary>XML 1.0 cannot carry control characters; drop them rather than fail the call.</summary>
    private static string RemoveInvalidXmlChars(string s)
    {
        foreach (var c in s)
        {
            if (!XmlConvert.IsXmlChar(c) && !char.IsSurrogate(c))
            {
                return string.Concat(s.Where(ch => XmlConvert.IsXmlChar(ch) || char.IsSurrogate(ch)));
            }
        }

        return s;
    }
}

/// <summary>The verbs allowed inside <c>&lt;Gather&gt;</c>: Say, Play and Pause.</summary>
public sealed class GatherPrompts
{
    internal List<Action<XmlWriter>> Verbs { get; } = [];

    /// <summary>Speaks <paramref name="text"/>; a key press interrupts it.</summary>
    public GatherPrompts Say(string text, string? voice = null, string? language = null, int? loop = null)
    {
        Verbs.Add(VoiceResponse.SayWriter(text, voice, language, loop));
        return this;
    }

    /// <summary>Plays the audio at <paramref name="url"/>; a key press interrupts it.</summary>
    public GatherPrompts Play(string url, int? loop = null)
    {
        Verbs.Add(VoiceResponse.PlayWriter(url, loop));
        return this;
    }

    /// <summary>Waits silently.</summary>
    public GatherPrompts Pause(int seconds = 1)
    {
        Verbs.Add(VoiceResponse.PauseWriter(seconds));
        return this;
    }
}

/// <summary>The nouns allowed inside <c>&lt;Dial&gt;</c> that MiniCC uses.</summary>
public sealed class DialNouns
{
    internal List<Action<XmlWriter>> Nouns { get; } = [];

    /// <summary>Connects to the caller at the head of the queue <paramref name="queueName"/>.</summary>
    /// <param name="queueName">The queue's name.</param>
    /// <param name="url">TwiML played to the dequeued caller before the bridge.</param>
    /// <param name="method">GET or POST for <paramref name="url"/>.</param>
    public DialNouns Queue(string queueName, string? url = null, string? method = null)
    {
        VoiceResponse.RequireQueueName(queueName);
        VoiceResponse.CheckMethod(method);
        Nouns.Add(w =>
        {
            w.WriteStartElement("Queue");
            VoiceResponse.Attr(w, "url", url);
            VoiceResponse.Attr(w, "method", method);
            w.WriteString(queueName);
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Rings a phone number.</summary>
    public DialNouns Number(string number, string? url = null)
    {
        if (string.IsNullOrWhiteSpace(number))
        {
            throw new ArgumentException("A number is required.", nameof(number));
        }

        Nouns.Add(w =>
        {
            w.WriteStartElement("Number");
            VoiceResponse.Attr(w, "url", url);
            w.WriteString(number);
            w.WriteEndElement();
        });
        return this;
    }

    /// <summary>Rings a Voice SDK client identity (<c>[A-Za-z0-9_]{1,121}</c>).</summary>
    public DialNouns Client(string identity)
    {
        if (!ClientIdentity.IsValid(identity))
        {
            throw new ArgumentException("A client identity is 1 to 121 letters, digits or underscores.", nameof(identity));
        }

        Nouns.Add(w => w.WriteElementString("Client", identity));
        return this;
    }
}

/// <summary>Client identity rules shared by TwiML and access tokens.</summary>
public static class ClientIdentity
{
    /// <summary>True when <paramref name="identity"/> is 1–121 characters of <c>[A-Za-z0-9_]</c>.</summary>
    public static bool IsValid(string? identity) =>
        identity is { Length: > 0 and <= 121 } && identity.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
}
