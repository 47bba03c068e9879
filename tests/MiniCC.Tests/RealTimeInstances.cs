using System.Diagnostics;

namespace MiniCC.Tests;

/// <summary>
/// MiniCC instances on real time (live feeds and pages poll on it), each started at once (its database migrated outside
/// any measurement), optionally on another instance's database; disposed together, newest first.
/// </summary>
public sealed class RealTimeInstances(string provider) : IDisposable
{
    private readonly List<MiniCCFactory> _apps = [];

    /// <summary>An instance with <paramref name="settings"/>; with <paramref name="sameDatabaseAs"/>, on that instance's database.</summary>
    public MiniCCFactory Start(MiniCCFactory? sameDatabaseAs = null, Dictionary<string, string?>? settings = null)
    {
        settings = new(settings ?? []);
        if (sameDatabaseAs is not null)
        {
            settings["ConnectionStrings:MiniCC"] = sameDatabaseAs.TestDatabase.ConnectionString;
        }

        var app = new MiniCCFactory(provider, settings, TimeProvider.System);
        _apps.Add(app);
        _ = app.Services;
        return app;
    }

    /// <summary>The next item of a live stream that satisfies <paramref name="wanted"/>; fails after <paramref name="within"/>.</summary>
    public static async Task<T> NextAsync<T>(IAsyncEnumerator<T> items, Func<T, bool> wanted, TimeSpan within)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var left = within - deadline.Elapsed;
            Assert.True(left > TimeSpan.Zero, $"nothing such within {within.TotalSeconds} s");
            try
            {
                Assert.True(await items.MoveNextAsync().AsTask().WaitAsync(left), "the stream ended");
            }
            catch (TimeoutException)
            {
                Assert.Fail($"nothing such within {within.TotalSeconds} s");
            }

            if (wanted(items.Current))
            {
                return items.Current;
            }
        }
    }

    public void Dispose()
    {
        foreach (var app in Enumerable.Reverse(_apps))
        {
            app.Dispose();
        }
    }
}
