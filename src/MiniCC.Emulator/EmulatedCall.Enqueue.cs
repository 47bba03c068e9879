using System.Globalization;
using System.Xml.Linq;

namespace MiniCC.Emulator;

/// <summary>&lt;Enqueue&gt;: the queue, its wait URL (requested again whenever its document ends), leaving it, and the action.</summary>
public sealed partial class EmulatedCall
{
    private async Task EnqueueAsync(Frame f, XElement verb)
    {
        f.Cancelled = true; // the main document resumes after <Enqueue> only when the caller leaves the queue
        var queue = _t.Queue(verb.Value.Trim());
        var e = new EnqueueState(queue, verb, f);
        _enqueue = e;
        if (queue.Members.Count >= queue.MaxSize)
        {
            Line("event", "queue full");
            Notify(new QueueEntered(queue.Name, Full: true));
            await AfterEnqueueAsync(e, "queue-full", withQueue: false);
            return;
        }

        queue.Members.Add((this, _t.Now));
        e.Entered = _t.Now;
        State = CallState.InQueue;
        Line("event", $"entered queue {queue.Name} at position {queue.Members.Count}");
        Notify(new QueueEntered(queue.Name, Full: false));
        if (queue.WaitingDialers.Count > 0)
        {
            var op = queue.WaitingDialers[0];
            queue.WaitingDialers.RemoveAt(0);
            await op.DequeueAsync(queue);
            return;
        }

        await StartWaitAsync();
    }

    private async Task StartWaitAsync()
    {
        var e = _enqueue!;
        var waitUrl = e.Verb.Attribute("waitUrl")?.Value;
        if (waitUrl is null)
        {
            // Twilio's default hold-music playlist.
            var music = new Frame([new XElement("Play", "https://com.twilio.music.classical.s3.amazonaws.com/index.xml")], e.Resume.Url, Context.Wait)
            {
                StartedAt = _t.Now,
            };
            _sub = music;
            await RunAsync(music);
            return;
        }

        if (waitUrl.Length == 0)
        {
            return; // silence until something happens
        }

        await FetchAndRunAsync(waitUrl, e.Resume.Url, Method(e.Verb, "waitUrlMethod"), QueueParameters(), Context.Wait);
    }

    private IEnumerable<(string, string)> QueueParameters()
    {
        if (_enqueue is not { Entered: { } entered } e)
        {
            return [];
        }

        var members = e.Queue.Members;
        var now = _t.Now;
        var average = members.Count == 0 ? 0 : (long)members.Average(m => (now - m.Entered).TotalSeconds);
        return
        [
            ("QueuePosition", e.Queue.PositionOf(this).ToString(CultureInfo.InvariantCulture)),
            ("QueueSid", e.Queue.Sid),
            ("QueueTime", TwilioEmulator.Seconds(now - entered)),
            ("AvgQueueTime", average.ToString(CultureInfo.InvariantCulture)),
            ("CurrentQueueSize", members.Count.ToString(CultureInfo.InvariantCulture)),
            ("MaxQueueSize", e.Queue.MaxSize.ToString(CultureInfo.InvariantCulture)),
        ];
    }

    private int QueueSeconds() => _enqueue?.Entered is { } entered ? (int)Math.Floor((_t.Now - entered).TotalSeconds) : 0;

    /// <summary>The caller leaves the queue without being connected (hang-up, Leave, Hangup in the wait music).</summary>
    private async Task LeaveQueueAsync(string result, bool endCall)
    {
        var e = _enqueue!;
        e.Queue.Members.RemoveAll(m => m.Call == this);
        _sub?.Cancel();
        _gather = null;
        e.Waited = QueueSeconds();
        Line("event", $"left queue {e.Queue.Name}: {result}");
        if (endCall)
        {
            await EndCallAsync("completed");
        }
        else
        {
            State = CallState.InProgress;
        }

        await AfterEnqueueAsync(e, result, withQueue: true);
    }

    /// <summary>Requests the Enqueue action (its TwiML continues a caller still on the line), or goes on after &lt;Enqueue&gt;.</summary>
    private async Task AfterEnqueueAsync(EnqueueState e, string result, bool withQueue)
    {
        // QueueTime is the time spent in the queue: up to the pickup for a caller who was connected.
        var queueTime = withQueue ? e.Waited ?? QueueSeconds() : (int?)null;
        Notify(new QueueLeft(result, queueTime));
        var action = e.Verb.Attribute("action")?.Value;
        var extra = new List<(string, string)> { ("QueueResult", result) };
        if (queueTime is { } seconds)
        {
            extra.Add(("QueueSid", e.Queue.Sid));
            extra.Add(("QueueTime", seconds.ToString(CultureInfo.InvariantCulture)));
        }

        if (action is not null)
        {
            await FetchAndRunAsync(action, e.Resume.Url, Method(e.Verb, "method"), extra, Context.Main);
        }
        else if (!Ended)
        {
            e.Resume.Cancelled = false;
            await RunAsync(e.Resume);
        }
    }
}
