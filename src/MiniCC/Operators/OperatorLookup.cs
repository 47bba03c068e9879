using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using MiniCC.Voice;

namespace MiniCC.Operators;

/// <summary>
/// Finds the operator calling in. When the database cannot answer, an operator this instance recognised
/// within <c>MiniCC:OperatorCacheMinutes</c> is still recognised (so an outage does not turn operators into
/// customers); anyone else is treated as a customer. The cache is a fallback only: no other instance needs it.
/// </summary>
public sealed partial class OperatorLookup(OperatorStore store, TimeProvider time, IOptions<VoiceOptions> options,
    IOptions<Storage.StorageOptions> storage, ILogger<OperatorLookup> log)
{
    private readonly ConcurrentDictionary<string, (Operator Operator, DateTimeOffset At)> _recent = new(StringComparer.Ordinal);

    public async Task<Operator?> FindAsync(string phone, string callSid, CancellationToken ct)
    {
        try
        {
            // A database that is locked or slow must not hold the caller: past the bound it counts as away.
            using var bound = CancellationTokenSource.CreateLinkedTokenSource(ct);
            bound.CancelAfter(storage.Value.WriteTimeout);
            var op = await Task.Run(() => store.FindActiveAsync(phone, bound.Token), ct).WaitAsync(storage.Value.WriteTimeout, ct);
            if (op is null)
            {
                _recent.TryRemove(phone, out _);
            }
            else
            {
                _recent[phone] = (op, time.GetUtcNow());
            }

            return op;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (_recent.TryGetValue(phone, out var known) && time.GetUtcNow() - known.At <= TimeSpan.FromMinutes(options.Value.OperatorCacheMinutes))
            {
                FromCache(log, ex, callSid, phone);
                return known.Operator;
            }

            Failed(log, ex, callSid);
            return null;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator lookup failed for call {CallSid}; {Phone} was an operator recently, so the call goes to the operator loop")]
    private static partial void FromCache(ILogger logger, Exception ex, string callSid, string phone);

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator lookup failed for call {CallSid}; treating the caller as a customer")]
    private static partial void Failed(ILogger logger, Exception ex, string callSid);
}
