using System.Globalization;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>
/// The operator loop, the same for a phone and a desk: a <c>ready</c> operator waits in <c>&lt;Dial&gt;&lt;Queue&gt;</c>
/// for the next caller; after each call comes wrap-up (after-call work) for <c>MiniCC:OperatorStates:WrapUpSeconds</c>;
/// in wrap-up or on break the loop holds the operator quietly and checks again, so nobody is handed a caller mid-note.
/// Keys: 9 asks for a break (then its reason), 1 ends wrap-up or a break. A state the database cannot give is taken as
/// ready: callers are served whatever happens.
/// </summary>
public sealed partial class OperatorLoopFlow(
    CallFlow flow,
    CallbackDialFlow callbacks,
    OperatorStateStore states,
    Queues.QueueChooser chooser,
    Recorder recorder,
    IOptions<VoiceOptions> voice,
    IOptions<OperatorStateOptions> options,
    TimeProvider time,
    ILogger<OperatorLoopFlow> log)
{
    private readonly VoiceOptions _v = voice.Value;
    private readonly OperatorStateOptions _o = options.Value;
    private PromptSet P => flow.Prompts;

    /// <summary>
    /// The loop's request (first entry, the Dial's action after a wait or a call, or a hold's Redirect; <paramref name="held"/>
    /// names the state a quiet hold was in, so that it is not announced again; <paramref name="dialed"/> the queue the
    /// operator waited in, when the Dial's action brings them back).
    /// </summary>
    public async Task<VoiceResponse> LoopAsync(VoiceWebhook hook, string? held, string? dialed, CancellationToken ct)
    {
        var now = Now;
        // The state's row comes with the call's session: one read answers both. Without it, the call may still be an
        // operator's whose sign-in waits in the spool (or the database is away): the recorder says, and the loop runs.
        var current = await ReadAsync(hook, ct);
        if (current is null)
        {
            if (!await recorder.IsSignedInAsync(hook.CallSid, ct))
            {
                NotSignedIn(log, hook.CallSid);
                return new VoiceResponse().Redirect(flow.Url(VoiceRoutes.Incoming), "POST");
            }

            return Ready(null);
        }

        var next = await NextAsync(hook, current, now, flow.Queues.Find(dialed).Name, ct);
        if (next.State != OperatorStates.Ready)
        {
            return Answer(next, announce: held != next.State, now);
        }

        // A ready operator serves the queue whose turn it is (of those they serve), and there the oldest waiting item:
        // a callback whose place comes before every caller in the queue, or the caller at its head.
        var choice = await ChooseAsync(hook, next.OperatorId, ct);
        if (choice.SomeoneWaits && await callbacks.TryDialAsync(hook, next.OperatorId, choice.Queue.Name, ct) is { } dial)
        {
            return dial;
        }

        return Ready(choice);
    }

    /// <summary>A key pressed in the ready prompt or a hold: 1 takes calls again, 9 asks for a break's reason.</summary>
    public async Task<VoiceResponse> KeyAsync(VoiceWebhook hook, CancellationToken ct)
    {
        // No session (not an operator's call) or no database: back to the loop, which tells which.
        var current = await ReadAsync(hook, ct);
        if (current is null)
        {
            return Loop(held: null);
        }

        switch (hook.Digits)
        {
            case "1" when current.State is OperatorStates.WrapUp or OperatorStates.Break:
                await ChangeAsync(hook, current.OperatorId, OperatorStates.Ready, null, "key");
                return Loop(held: null);
            case "9" when current.State is OperatorStates.Ready or OperatorStates.WrapUp:
                return BreakChoice();
            default:
                return Loop(held: current.State);
        }
    }

    /// <summary>The break reason chosen by its number (1–8); anything else goes back to the loop unchanged.</summary>
    public async Task<VoiceResponse> BreakAsync(VoiceWebhook hook, CancellationToken ct)
    {
        var reasons = _o.Reasons;
        var current = await ReadAsync(hook, ct);
        if (current is not null && current.State is OperatorStates.Ready or OperatorStates.WrapUp
            && int.TryParse(hook.Digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= reasons.Count)
        {
            await ChangeAsync(hook, current.OperatorId, OperatorStates.Break, reasons[n - 1].Key, "key");
            return Loop(held: null);
        }

        return Loop(held: current?.State);
    }

    /// <summary>What the loop answers when the flow itself failed: the ready loop, so that callers are still served.</summary>
    public VoiceResponse Trouble() => Ready(null);

    /// <summary>The queue to serve; the default queue when the database cannot say (callers are served whatever happens).</summary>
    private async Task<Queues.QueueChoice> ChooseAsync(VoiceWebhook hook, long operatorId, CancellationToken ct)
    {
        try
        {
            return await chooser.ChooseAsync(operatorId, callbacks.Enabled, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            StateReadFailed(log, ex, hook.CallSid);
            return new Queues.QueueChoice(flow.Queues.Default, SomeoneWaits: true);
        }
    }

    /// <summary>The state the operator is in now that their call is back in the loop, recording what changed.</summary>
    private async Task<CurrentState> NextAsync(VoiceWebhook hook, CurrentState c, long now, string dialed, CancellationToken ct)
    {
        // Their call is in the loop, so they are not offline, nor on a call elsewhere: Twilio says otherwise than the database.
        if (c.State is null or OperatorStates.Offline || (c.CallSid != hook.CallSid && c.State is OperatorStates.Ready or OperatorStates.OnCall))
        {
            Reconciled(log, hook.CallSid, c.OperatorId, c.State ?? "none", c.CallSid ?? "none");
            return await ChangeAsync(hook, c.OperatorId, OperatorStates.Ready, null, "reconciled");
        }

        if (c.CallSid != hook.CallSid)
        {
            // A break or wrap-up carried over from the operator's other call (a desk that called again): this call carries it now.
            return await ChangeAsync(hook, c.OperatorId, c.State, c.Reason, "reconciled", c.StartedAt);
        }

        // A pickup the state rows have not caught up with (its event stored late) ends the ready state too.
        if (c.State == OperatorStates.OnCall || (c.State == OperatorStates.Ready && c.LastPickupAt >= c.StartedAt))
        {
            return _o.WrapUpSeconds > 0
                ? await ChangeAsync(hook, c.OperatorId, OperatorStates.WrapUp, null, "loop")
                : await ChangeAsync(hook, c.OperatorId, OperatorStates.Ready, null, "loop");
        }

        if (c.State == OperatorStates.WrapUp && now >= c.StartedAt + (_o.WrapUpSeconds * 1000L))
        {
            return await ChangeAsync(hook, c.OperatorId, OperatorStates.Ready, null, "loop");
        }

        if (c.State == OperatorStates.Ready && await MissedAsync(hook, c, now, dialed, ct))
        {
            return await AutoPauseAsync(hook, c, ct);
        }

        return c;
    }

    /// <summary>The TwiML of a state; a hold is announced only when it begins (<paramref name="announce"/>), then it is quiet.</summary>
    private VoiceResponse Answer(CurrentState c, bool announce, long now) =>
        c.State switch
        {
            OperatorStates.WrapUp => Hold(OperatorStates.WrapUp, announce ? P.WrapUp : null,
                (int)Math.Clamp(((c.StartedAt ?? now) + (_o.WrapUpSeconds * 1000L) - now + 999) / 1000, 1, _o.HoldSeconds)),
            OperatorStates.Break => Hold(OperatorStates.Break,
                announce ? (c.Reason == OperatorStateOptions.NoAnswer.Key ? P.AutoPaused : P.OnBreak) : null, _o.HoldSeconds),
            _ => Ready(null),
        };

    /// <summary>The loop's Dial ended with no caller although one waited all along: the operator's line did not take them.</summary>
    private async Task<bool> MissedAsync(VoiceWebhook hook, CurrentState c, long now, string dialed, CancellationToken ct)
    {
        if (_o.AutoPauseAfterMisses == 0 || hook.DialCallStatus is null or "completed" or "answered")
        {
            return false;
        }

        try
        {
            var dialStarted = now - (_v.OperatorDialTimeoutSeconds * 1000L);
            if (c.StartedAt > dialStarted || !await states.CallerWaitingSinceAsync(dialed, dialStarted, ct))
            {
                return false;
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            StateReadFailed(log, ex, hook.CallSid);
            return false;
        }

        await ChangeAsync(hook, c.OperatorId, OperatorStates.Ready, null, "missed");
        return true;
    }

    private async Task<CurrentState> AutoPauseAsync(VoiceWebhook hook, CurrentState c, CancellationToken ct)
    {
        try
        {
            var causes = await states.RecentCausesAsync(c.OperatorId, _o.AutoPauseAfterMisses, ct);
            if (causes.Count < _o.AutoPauseAfterMisses || causes.Any(x => x != "missed"))
            {
                return c;
            }
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            StateReadFailed(log, ex, hook.CallSid);
            return c;
        }

        AutoPaused(log, hook.CallSid, c.OperatorId, _o.AutoPauseAfterMisses);
        return await ChangeAsync(hook, c.OperatorId, OperatorStates.Break, OperatorStateOptions.NoAnswer.Key, "auto-pause");
    }


    private async Task<CurrentState?> ReadAsync(VoiceWebhook hook, CancellationToken ct)
    {
        try
        {
            return await states.OfLegAsync(hook.CallSid, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            StateReadFailed(log, ex, hook.CallSid);
            return null;
        }
    }

    private async Task<CurrentState> ChangeAsync(VoiceWebhook hook, long operatorId, string state, string? reason, string cause, long? at = null)
    {
        var when = at ?? Now;
        await recorder.RecordAsync(new OperatorStateChanged
        {
            Hook = hook, At = when, Id = Guid.NewGuid().ToString("N"), OperatorId = operatorId, State = state, Reason = reason, Cause = cause,
        });
        return new CurrentState { OperatorId = operatorId, State = state, Reason = reason, StartedAt = when, CallSid = hook.CallSid, Cause = cause };
    }

    /// <summary>
    /// Ready: the prompt inside a short Gather (9 asks for a break), then the wait for a caller. The Dial's action comes
    /// back here with how it ended.
    /// </summary>
    private VoiceResponse Ready(Queues.QueueChoice? choice)
    {
        var queue = choice?.Queue ?? flow.Queues.Default;
        var query = flow.QueueQuery(queue, 1);
        // With several queues, a wait in one is a wait nobody else's callers can end: it is short, and the loop chooses again.
        var timeout = flow.Queues.All.Count > 1 && choice is { SomeoneWaits: false } ? Math.Min(_v.OperatorDialTimeoutSeconds, MultiQueueWaitSeconds) : _v.OperatorDialTimeoutSeconds;
        return new VoiceResponse()
            .Gather(KeyGather(1), g => g.Say(P.OperatorReady, P.Voice, P.Language))
            .Dial(new DialOptions
                {
                    Timeout = timeout, Action = flow.Url(VoiceRoutes.Operator) + query, Method = "POST",
                    // A queue that records: the conversation from the answer, one channel per party; its status comes back with the queue.
                    Record = queue.Record ? "record-from-answer-dual" : null,
                    RecordingStatusCallback = queue.Record ? flow.Url(VoiceRoutes.CallRecording) + query : null,
                    RecordingStatusCallbackEvent = queue.Record ? "completed absent" : null,
                },
                d => d.Queue(queue.Twilio, flow.Url(VoiceRoutes.Whisper) + query, "POST"))
            .Redirect(flow.Url(VoiceRoutes.Operator), "POST");
    }

    /// <summary>How long an operator of several queues waits in one with nobody in any, before the loop looks again.</summary>
    public const int MultiQueueWaitSeconds = 10;

    /// <summary>A quiet hold that listens for a key, then checks the state again.</summary>
    private VoiceResponse Hold(string state, string? prompt, int seconds) =>
        new VoiceResponse()
            .Gather(KeyGather(seconds), g =>
            {
                if (prompt is not null)
                {
                    g.Say(prompt, P.Voice, P.Language);
                }
            })
            .Redirect(LoopUrl(state), "POST");

    private VoiceResponse Loop(string? held) => new VoiceResponse().Redirect(LoopUrl(held ?? ""), "POST");

    private string LoopUrl(string held) =>
        flow.Url(VoiceRoutes.Operator) + (held.Length > 0 ? "?held=" + Uri.EscapeDataString(held) : "");

    private VoiceResponse BreakChoice()
    {
        var reasons = _o.Reasons;
        return new VoiceResponse()
            .Gather(new GatherOptions { Input = "dtmf", NumDigits = 1, Timeout = 5, Action = flow.Url(VoiceRoutes.OperatorBreak), Method = "POST" }, g =>
            {
                g.Say(P.BreakChoice, P.Voice, P.Language);
                for (var i = 0; i < reasons.Count; i++)
                {
                    g.Say(string.Format(CultureInfo.InvariantCulture, P.BreakOption, i + 1, reasons[i].Label(P.Language)), P.Voice, P.Language);
                }
            })
            .Redirect(flow.Url(VoiceRoutes.Operator), "POST");
    }

    private GatherOptions KeyGather(int timeout) =>
        new() { Input = "dtmf", NumDigits = 1, Timeout = timeout, Action = flow.Url(VoiceRoutes.OperatorKey), Method = "POST" };

    private long Now => time.GetUtcNow().ToUnixTimeMilliseconds();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid} asked for the operator loop without signing in; sent back to the Voice URL")]
    private static partial void NotSignedIn(ILogger logger, string callSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: operator {OperatorId} is in the loop but their state was {State} (call {StateCallSid}); reconciled to ready")]
    private static partial void Reconciled(ILogger logger, string callSid, long operatorId, string state, string stateCallSid);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: operator {OperatorId} missed callers {Misses} times in a row; put on break (no-answer)")]
    private static partial void AutoPaused(ILogger logger, string callSid, long operatorId, int misses);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallSid}: could not read the operator's state; taking them as ready")]
    private static partial void StateReadFailed(ILogger logger, Exception ex, string callSid);
}
