namespace MiniCC.Storage;

/// <summary>
/// A database call a webhook waits for: at most the bound (<c>MiniCC:WriteTimeoutSeconds</c>), then it counts as
/// failed. It runs off the request's thread, because SQLite's "async" calls run synchronously and only a wait on
/// the task, not a cancelled token, can cut short a busy wait inside one.
/// </summary>
public static class Bounded
{
    public static async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, TimeSpan bound, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(bound);
        var task = Task.Run(() => work(cts.Token), ct);
        try
        {
            return await task.WaitAsync(bound, ct);
        }
        catch
        {
            // Left behind: its failure, when it comes, is expected and observed here.
            _ = task.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            throw;
        }
    }
}
