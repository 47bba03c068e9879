using Microsoft.Extensions.Options;
using MiniCC.Voice;

namespace MiniCC.Operators;

/// <summary>
/// Finds the operator calling in, from a copy of the active operators that is read again once it is older than
/// <c>MiniCC:OperatorCacheSeconds</c> (so a call costs no database round trip in steady state, and a change made on
/// another instance or by the CLI is seen within that time; a change made through this instance is seen at once).
/// When the database cannot answer, the copy is still used while it is younger than <c>MiniCC:OperatorCacheMinutes</c>
/// (an outage does not turn operators into customers); without one, every caller is treated as a customer.
/// </summary>
public sealed partial class OperatorLookup(OperatorStore store, TimeProvider time, IOptions<VoiceOptions> options,
    IOptions<Storage.StorageOptions> storage, ILogger<OperatorLookup> log) : IDisposable
{
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private Directory? _directory;

    private sealed record Directory(IReadOnlyDictionary<string, Operator> ByPhone, DateTimeOffset ReadAt, long StoreVersion);

    /// <summary>
    /// The active operator with this phone, or null. <paramref name="fresh"/> reads the database whatever the copy's
    /// age (for decisions that must see another instance's latest change, such as a PIN lock).
    /// </summary>
    public async Task<Operator?> FindAsync(string phone, string callSid, CancellationToken ct, bool fresh = false)
    {
        var known = Volatile.Read(ref _directory);
        if (!fresh && IsCurrent(known))
        {
            return known!.ByPhone.GetValueOrDefault(phone);
        }

        try
        {
            return (await ReadAsync(known, fresh, ct)).ByPhone.GetValueOrDefault(phone);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            if (known is not null && time.GetUtcNow() - known.ReadAt <= TimeSpan.FromMinutes(options.Value.OperatorCacheMinutes)
                && known.ByPhone.TryGetValue(phone, out var op))
            {
                FromCache(log, ex, callSid, phone);
                return op;
            }

            Failed(log, ex, callSid);
            return null;
        }
    }

    private bool IsCurrent(Directory? d) =>
        d is not null && d.StoreVersion == store.Version && time.GetUtcNow() - d.ReadAt < TimeSpan.FromSeconds(options.Value.OperatorCacheSeconds);

    /// <summary>Reads the directory once for everyone who needs it now (calls arriving together wait for one read).</summary>
    private async Task<Directory> ReadAsync(Directory? stale, bool fresh, CancellationToken ct)
    {
        var bound = storage.Value.WriteTimeout;
        if (!await _refresh.WaitAsync(bound, ct))
        {
            throw new TimeoutException($"the operator directory was not read within {bound.TotalSeconds:0.##} s");
        }

        try
        {
            var current = Volatile.Read(ref _directory);
            if (current != stale && (fresh ? current!.ReadAt > time.GetUtcNow() - TimeSpan.FromSeconds(1) : IsCurrent(current)))
            {
                return current!;
            }

            var version = store.Version;
            // A database that is locked or slow must not hold the caller: past the bound it counts as away.
            var active = await Storage.Bounded.RunAsync(store.ListActiveAsync, bound, ct);
            var read = new Directory(active.ToDictionary(o => o.Phone, StringComparer.Ordinal), time.GetUtcNow(), version);
            Volatile.Write(ref _directory, read);
            return read;
        }
        finally
        {
            _refresh.Release();
        }
    }

    public void Dispose() => _refresh.Dispose();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Operator lookup failed for call {CallSid}; {Phone} was an operator recently, so the call goes to the operator loop")]
    private static partial void FromCache(ILogger logger, Exception ex, string callSid, string phone);

    [LoggerMessage(Level = LogLevel.Error, Message = "Operator lookup failed for call {CallSid}; treating the caller as a customer")]
    private static partial void Failed(ILogger logger, Exception ex, string callSid);
}
