using System.Runtime.CompilerServices;

namespace MiniCC.Tests;

/// <summary>Settings for the test process as a whole.</summary>
internal static class TestProcess
{
    /// <summary>
    /// This process hosts dozens of MiniCC instances at once (xunit runs test classes in parallel). Each may hold a
    /// thread in SQLite's synchronous busy wait while a test keeps its database locked, and the thread pool adds
    /// threads only slowly, so unrelated requests in other tests would queue for seconds. A server runs one instance.
    /// </summary>
    [ModuleInitializer]
    internal static void Initialize()
    {
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(Math.Max(workers, 64), Math.Max(io, 64));
    }
}
