using System.Globalization;
using Microsoft.Extensions.Options;
using MiniCC.Desk;
using MiniCC.Operators;
using MiniCC.Twilio.TwiML;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>
/// Calls placed from the desk, through the TwiML App's Voice URL (<see cref="VoiceRoutes.Client"/>): <c>From</c> is
/// <c>client:&lt;identity&gt;</c>. An active operator with no <c>To</c> enters the operator loop, as a phone operator
/// does; <c>To</c> = <c>client:&lt;identity&gt;</c> rings another active operator's desk; a number is dialled only when
/// <c>MiniCC:Desk:CallOutPrefixes</c> allows it (off by default), and logged. Anyone else hears that the line is for
/// operators and the call ends. The desk calls again with the custom parameters <c>State=break</c> and <c>Reason=&lt;key&gt;</c>
/// to start a break at once (its wait in the queue ends with the old call); otherwise the operator starts ready.
/// </summary>
public sealed partial class DeskCallFlow(CallFlow flow, OperatorStore operators, IOptions<DeskOptions> desk, IOptions<VoiceOptions> voice,
    IOptions<OperatorStateOptions> states, ILogger<DeskCallFlow> log)
{
    private const string ClientPrefix = "client:";

    public async Task<VoiceResponse> CallAsync(VoiceWebhook hook, CancellationToken ct)
    {
        var p = flow.Prompts;
        var op = desk.Value.Enabled ? await OperatorOfAsync(hook.From, ct) : null;
        if (op is null)
        {
            NotAnOperator(log, hook.CallSid, hook.From ?? "");
            return new VoiceResponse().Say(p.DeskOnly, p.Voice, p.Language).Hangup();
        }

        var to = hook.To?.Trim();
        if (string.IsNullOrEmpty(to))
        {
            var reason = states.Value.Reasons.FirstOrDefault(r => hook.All.GetValueOrDefault("Reason") == r.Key);
            return hook.All.GetValueOrDefault("State") == Storage.OperatorStates.Break && reason is not null
                ? await flow.DeskSignInAsync(hook, op, Storage.OperatorStates.Break, reason.Key, ct)
                : await flow.DeskSignInAsync(hook, op, Storage.OperatorStates.Ready, null, ct);
        }

        if (to.StartsWith(ClientPrefix, StringComparison.Ordinal))
        {
            var other = await OperatorOfAsync(to, ct);
            if (other is null)
            {
                return new VoiceResponse().Say(p.CallOutRefused, p.Voice, p.Language).Hangup();
            }

            DeskToDesk(log, hook.CallSid, op.Phone, other.Phone);
            return new VoiceResponse().Dial(new DialOptions(), d => d.Client(DeskEndpoints.IdentityOf(other.Id)));
        }

        var number = PhoneNumber.Normalize(to, voice.Value.DefaultCountryCode, out _);
        if (number is null || !desk.Value.MayCall(number))
        {
            CallOutRefusedLog(log, hook.CallSid, op.Phone, to);
            return new VoiceResponse().Say(p.CallOutRefused, p.Voice, p.Language).Hangup();
        }

        CallingOut(log, hook.CallSid, op.Phone, number);
        return new VoiceResponse().Dial(new DialOptions { CallerId = desk.Value.CallerId }, d => d.Number(number));
    }

    /// <summary>The active operator a <c>client:operator_&lt;id&gt;</c> names, read from the database (never a cache: a disabled operator stops now).</summary>
    private async Task<Operator?> OperatorOfAsync(string? client, CancellationToken ct)
    {
        const string prefix = ClientPrefix + "operator_";
        return client is not null && client.StartsWith(prefix, StringComparison.Ordinal)
            && long.TryParse(client.AsSpan(prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? await operators.FindActiveByIdAsync(id, ct)
            : null;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid} from {From} reached the desk's TwiML App but is no active operator: refused")]
    private static partial void NotAnOperator(ILogger logger, string callSid, string from);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallSid}: operator {Phone} may not call {To} (MiniCC:Desk:CallOutPrefixes): refused")]
    private static partial void CallOutRefusedLog(ILogger logger, string callSid, string phone, string to);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: operator {Phone} calls out to {Number}")]
    private static partial void CallingOut(ILogger logger, string callSid, string phone, string number);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallSid}: operator {Phone} calls operator {Other}'s desk")]
    private static partial void DeskToDesk(ILogger logger, string callSid, string phone, string other);
}
