using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace MiniCC.Reports;

/// <summary>
/// One subscriber's inbox of a live feed (the wallboard's, the desk's): it holds the newest item only, so a subscriber
/// that reads slowly skips to the latest; read until the subscriber's token is cancelled (then it throws) or the
/// application stops (then it ends).
/// </summary>
internal static class LiveInbox
{
    public static Channel<T> Create<T>() =>
        Channel.CreateBounded<T>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public static async IAsyncEnumerable<T> ReadAsync<T>(ChannelReader<T> inbox, CancellationToken stopping,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        using var either = CancellationTokenSource.CreateLinkedTokenSource(ct, stopping);
        while (true)
        {
            try
            {
                if (!await inbox.WaitToReadAsync(either.Token))
                {
                    yield break;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                yield break;
            }

            while (inbox.TryRead(out var item))
            {
                yield return item;
            }
        }
    }
}
