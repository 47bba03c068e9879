using System.Globalization;
using Microsoft.Extensions.Options;
using MiniCC.Callbacks;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>
/// The operator's side of a callback. When a ready operator's loop finds that the oldest waiting item is a due callback
/// (not a caller in the queue), it claims it (one operator only, <see cref="CallbackStore.ClaimAsync"/>), tells the
/// operator whom they call, and dials the customer from the center's number. How the dial ends is recorded; an attempt
/// that did not reach the customer is tried again after <c>RetryMinutes</c>, up to <c>MaxAttempts</c>, then listed.
/// </summary>
public sealed partial class CallbackDialFlow(
    CallFlow flow,
    CallbackFlow callers,
    CallbackStore store,
    Recorder recorder,
    IOptions<CallbackOptions> options,
    TimeProvider time,
    ILogger<CallbackDialFlow> log)
{
    private readonly CallbackOptions _o = options.Value;
    /// <summary>Callbacks are on (<c>MiniCC:Callbacks:CallerId</c> is set).</summary>
    public bool Enabled => _o.Enabled;
    private PromptSet P => flow.Prompts;

    /// <summary>The callback dial for a ready operator whose turn it is to call a customer back; null when it is a caller's turn (or none is due).</summary>
    public async Task<VoiceResponse?> TryDialAsync(VoiceWebhook hook, long operatorId, string queue, CancellationToken ct)
    {
        if (!_o.Enabled)
        {
            return null;
        }

        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        ClaimedCallback? claimed;
        try
        {
            claimed = await store.ClaimAsync(queue, hook.CallSid, now, ct);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            ClaimFailed(log, ex, hook.CallSid);
            return null;
        }

        if (claimed is null)
        {
            return null;
        }

        await recorder.RecordAsync(new CallbackDialed
        {
            Hook = hook, At = now, Id = Guid.NewGuid().ToString("N"), CallbackId = claimed.Id, Attempt = claimed.Attempt, OperatorId = operatorId,
        });
        Dialing(log, hook.CallSid, claimed.Id, claimed.Attempt);
        var action = flow.Url(VoiceRoutes.CallbackResult) + "?id=" + claimed.Id.ToString(CultureInfo.InvariantCulture)
            + "&attempt=" + claimed.Attempt.ToString(CultureInfo.InvariantCulture) + "&op=" + operatorId.ToString(CultureInfo.InvariantCulture);
        return new VoiceResponse()
            .Say(string.Format(CultureInfo.InvariantCulture, P.CallbackToOperator, callers.Spoken(claimed.Number)), P.Voice, P.Language)
            .Dial(new DialOptions { CallerId = _o.CallerId, Timeout = _o.RingSeconds, Action = action, Method = "POST" },
                d => d.Number(claimed.Number, flow.Url(VoiceRoutes.CallbackGreeting) + "?id=" + claimed.Id.ToString(CultureInfo.InvariantCulture)
                    + "&attempt=" + claimed.Attempt.ToString(CultureInfo.InvariantCulture)))
            .Redirect(flow.Url(VoiceRoutes.Operator), "POST");
    }

    /// <summary>The callback's dial ended: record how, and back to the loop (wrap-up after a conversation, ready otherwise).</summary>
    public async Task<VoiceResponse> ResultAsync(VoiceWebhook hook, long callbackId, int attempt, long operatorId, CancellationToken ct)
    {
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var reached = hook.DialCallStatus is "completed" or "answered";
        var status = reached ? "completed" : attempt >= _o.MaxAttempts ? "failed" : "pending";
        if (hook.DialCallStatus is not null)
        {
            await recorder.RecordAsync(new CallbackEnded
            {
                Hook = hook, At = now, Id = HistoryEvent.IdFor(hook), CallbackId = callbackId, Attempt = attempt, Status = status,
                DueAt = now + (_o.RetryMinutes * 60_000L),
            });
        }

        // The customer was not reached: the operator is free at once (no wrap-up), if their call is still there.
        if (!reached && hook.CallStatus is null or "in-progress")
        {
            await recorder.RecordAsync(new OperatorStateChanged
            {
                Hook = hook, At = now, Id = Guid.NewGuid().ToString("N"), OperatorId = operatorId, State = OperatorStates.Ready, Cause = "callback",
            });
        }

        Ended(log, hook.CallSid, callbackId, attempt, hook.DialCallStatus ?? "none", status);
        return new VoiceResponse().Redirect(flow.Url(VoiceRoutes.Operator), "POST");
    }

    /// <summary>
    /// The customer answered (Twilio runs the <c>&lt;Number url&gt;</c> on their leg before connecting it): the callback is
    /// completed now, whatever becomes of the Dial's action. Twilio does not promise that action once the operator has
    /// hung up, and a callback whose operator's call ended without it would otherwise be dialed again: the customer, already
    /// served, called twice. Then what they hear before the operator is connected.
    /// </summary>
    public async Task<VoiceResponse> GreetingAsync(VoiceWebhook hook, long? callbackId, int attempt)
    {
        if (callbackId is { } id)
        {
            await recorder.RecordAsync(new CallbackAnswered
            {
                Hook = hook, At = time.GetUtcNow().ToUnixTimeMilliseconds(), Id = HistoryEvent.IdFor(hook), CallbackId = id, Attempt = attempt,
            });
        }

        return new VoiceResponse().Say(P.CallbackGreeting, P.Voice, P.Language);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid} dials callback {CallbackId} (attempt {Attempt})")]
    private static partial void Dialing(ILogger logger, string callSid, long callbackId, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: callback {CallbackId} attempt {Attempt} ended {DialCallStatus}; the callback is {Status}")]
    private static partial void Ended(ILogger logger, string callSid, long callbackId, int attempt, string dialCallStatus, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallSid}: could not look for a due callback; the operator takes callers from the queue")]
    private static partial void ClaimFailed(ILogger logger, Exception ex, string callSid);
}
