using MiniCC.Operators;
using MiniCC.Storage;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>An operator's PIN: asked after caller ID, checked per call and across calls (<c>MiniCC:PinLockout</c>).</summary>
public sealed partial class CallFlow
{
    /// <summary>
    /// The PIN Gather's action: the right PIN enters the loop; three wrong ones end the call; too many wrong ones
    /// across calls (<c>MiniCC:PinLockout</c>) lock the PIN, and while it is locked even the right one is refused.
    /// </summary>
    public async Task<VoiceResponse> OperatorPinAsync(VoiceWebhook hook, int attempt, CancellationToken ct)
    {
        // Fresh: a lock set (or a PIN changed) on another instance must count now, not when the cached directory expires.
        var op = await FindOperatorAsync(hook, ct, fresh: true);
        if (op is null)
        {
            // Not (or no longer) an operator, or the directory cannot be read: a customer, as everywhere else.
            return await StartMenuAsync(hook, ct);
        }

        if (op.PinHash is null)
        {
            return await SignInAsync(hook, op, ct);
        }

        if (pinLockout.LockedUntil(op) is { } lockedUntil)
        {
            await recorder.RecordAsync(new PinFailed { Hook = hook, At = Now, Id = IdFor(hook), Attempt = attempt });
            return LockedOut(hook, op, lockedUntil);
        }

        if (Security.SecretHasher.Verify(hook.Digits, op.PinHash))
        {
            await ForgetPinFailuresAsync(hook, op, ct);
            return await SignInAsync(hook, op, ct);
        }

        await recorder.RecordAsync(new PinFailed { Hook = hook, At = Now, Id = IdFor(hook), Attempt = attempt });
        if (await CountPinFailureAsync(hook, op, attempt, ct) is { } until)
        {
            PinLockStarted(log, hook.CallSid, _o.PinLockout.MaxFailures, op.Phone, _o.PinLockout.WindowMinutes, Utc(until));
            return new VoiceResponse().Say(_p.PinLockedOut, _p.Voice, _p.Language).Hangup();
        }

        if (attempt >= MaxPinAttempts)
        {
            PinLockedOut(log, hook.CallSid, op.Phone, attempt);
            return new VoiceResponse().Say(_p.PinLocked, _p.Voice, _p.Language).Hangup();
        }

        WrongPin(log, hook.CallSid, op.Phone, attempt);
        return PinPrompt(new VoiceResponse().Say(_p.PinWrong, _p.Voice, _p.Language), attempt + 1);
    }

    private VoiceResponse LockedOut(VoiceWebhook hook, Operator op, DateTimeOffset until)
    {
        LockedPinTried(log, hook.CallSid, op.Phone, Utc(until));
        return new VoiceResponse().Say(_p.PinLockedOut, _p.Voice, _p.Language).Hangup();
    }

    /// <summary>Counts a wrong PIN across calls; when the database cannot, the per-call limit still ends the call.</summary>
    private async Task<DateTimeOffset?> CountPinFailureAsync(VoiceWebhook hook, Operator op, int attempt, CancellationToken ct)
    {
        try
        {
            return await pinLockout.FailedAsync(op, hook.CallSid, attempt, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            PinCountFailed(log, ex, hook.CallSid, op.Phone, MaxPinAttempts);
            return null;
        }
    }

    private async Task ForgetPinFailuresAsync(VoiceWebhook hook, Operator op, CancellationToken ct)
    {
        try
        {
            await pinLockout.SucceededAsync(op, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // The operator is who they say: let them work; their earlier failures expire with the window.
            PinResetFailed(log, ex, hook.CallSid, op.Phone);
        }
    }

    private static string Utc(DateTimeOffset t) => t.UtcDateTime.ToString("u", System.Globalization.CultureInfo.InvariantCulture);

    private VoiceResponse PinPrompt(VoiceResponse r, int attempt) =>
        r.Gather(new GatherOptions
            {
                Input = "dtmf",
                FinishOnKey = "#",
                Timeout = _o.MenuTimeoutSeconds,
                Action = Url(VoiceRoutes.OperatorPin) + "?attempt=" + attempt.ToString(System.Globalization.CultureInfo.InvariantCulture),
                Method = "POST",
                ActionOnEmptyResult = true,
            }, g => g.Say(_p.PinPrompt, _p.Voice, _p.Language))
            .Say(_p.PinLocked, _p.Voice, _p.Language)
            .Hangup();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: wrong PIN for operator {Phone} (attempt {Attempt})")]
    private static partial void WrongPin(ILogger logger, string callSid, string phone, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: {Attempt} wrong PINs for operator {Phone}; call ended")]
    private static partial void PinLockedOut(ILogger logger, string callSid, string phone, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: {Failures} wrong PINs for operator {Phone} within {WindowMinutes} minutes; the PIN is locked until {Until}")]
    private static partial void PinLockStarted(ILogger logger, string callSid, int failures, string phone, int windowMinutes, string until);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: the PIN of operator {Phone} is locked until {Until}; refused and call ended")]
    private static partial void LockedPinTried(ILogger logger, string callSid, string phone, string until);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallSid}: could not count the wrong PIN of operator {Phone} in the database; only the per-call limit of {Limit} applies")]
    private static partial void PinCountFailed(ILogger logger, Exception ex, string callSid, string phone, int limit);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: could not clear the earlier wrong PINs of operator {Phone}")]
    private static partial void PinResetFailed(ILogger logger, Exception ex, string callSid, string phone);
}
