using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>&lt;Gather&gt;: its prompts, barge-in, numDigits, finishOnKey, the timeout, and its action.</summary>
public sealed partial class EmulatedCall
{
    /// <summary>True while <paramref name="gather"/> is the Gather listening on this call.</summary>
    internal bool ListensTo(XElement gather) => !Ended && _gather?.Verb == gather;

    /// <summary>Presses each key, as DTMF reaches Twilio, without running what they cause beyond this instant.</summary>
    internal async Task KeysAsync(string keys)
    {
        foreach (var key in keys)
        {
            await KeyAsync(key);
        }
    }

    private async Task GatherAsync(Frame parent, XElement verb)
    {
        var prompts = new Frame(verb.Elements().ToList(), parent.Url, Context.Prompt) { StartedAt = _t.Now };
        var g = new GatherState(verb, parent, prompts);
        _gather = g;
        Notify(new GatherStarted(verb, parent.Context == Context.Wait));
        await RunAsync(prompts);
    }

    private void StartGatherTimer(GatherState g)
    {
        var timer = ++g.Timer;
        _t.After(TimeSpan.FromSeconds(Int(g.Verb, "timeout", 5)), async () =>
        {
            if (_gather == g && g.Timer == timer && !Ended)
            {
                await FinishGatherAsync(g);
            }
        });
    }

    private async Task KeyAsync(char key)
    {
        Line("pressed", key.ToString());
        if (!Ended && _recording is { } r)
        {
            await RecordKeyAsync(r, key);
            return;
        }

        if (Ended || _gather is not { } g)
        {
            return; // no Gather listening: keys are ignored
        }

        g.Prompts.Cancelled = true; // barge-in
        var finishOnKey = g.Verb.Attribute("finishOnKey")?.Value ?? "#";
        if (finishOnKey.Length == 1 && key == finishOnKey[0])
        {
            await FinishGatherAsync(g);
            return;
        }

        g.Digits += key;
        var numDigits = Int(g.Verb, "numDigits", int.MaxValue);
        if (g.Digits.Length >= numDigits)
        {
            await FinishGatherAsync(g);
            return;
        }

        StartGatherTimer(g);
    }

    internal async Task SpeechAsync(string words, double? confidence)
    {
        Line("said", words);
        if (Ended || _gather is not { } g || !(g.Verb.Attribute("input")?.Value ?? "dtmf").Split(' ').Contains("speech"))
        {
            return; // nobody listens for speech
        }

        g.Prompts.Cancelled = true; // barge-in
        g.Speech = (words, confidence);
        await FinishGatherAsync(g);
    }

    private async Task FinishGatherAsync(GatherState g)
    {
        _gather = null;
        g.Prompts.Cancelled = true;
        var inQueue = g.Parent.Context == Context.Wait;
        // Without an action, a Gather posts to the document it is in.
        var action = g.Verb.Attribute("action")?.Value ?? g.Parent.Url;
        Notify(new GatherFinished(g.Verb, new Uri(new Uri(g.Parent.Url), action).ToString(), g.Digits, inQueue) { Speech = g.Speech?.Words });
        if (g.Digits.Length == 0 && g.Speech is null && g.Verb.Attribute("actionOnEmptyResult")?.Value != "true")
        {
            await RunAsync(g.Parent); // no input: on to the verb after the Gather
            return;
        }

        g.Parent.Cancelled = true;
        // Speech posts what was said (and how sure), not Digits.
        var extra = g.Speech is { } speech
            ? new List<(string, string)> { ("SpeechResult", speech.Words) }
            : [("Digits", g.Digits)];
        if (g.Speech?.Confidence is { } confidence)
        {
            extra.Add(("Confidence", confidence.ToString("0.########", System.Globalization.CultureInfo.InvariantCulture)));
        }

        if (inQueue)
        {
            extra.AddRange(QueueParameters());
        }

        var next = g.Parent.Context is Context.Wait or Context.Screen ? g.Parent.Context : Context.Main;
        await FetchAndRunAsync(action, g.Parent.Url, Method(g.Verb, "method"), extra, next);
    }
}
