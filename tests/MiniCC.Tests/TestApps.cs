namespace MiniCC.Tests;

/// <summary>The apps one test starts (each with settings of its own), disposed with the test class.</summary>
public sealed class TestApps : IDisposable
{
    private readonly List<MiniCCFactory> _apps = [];

    public MiniCCFactory Start(Dictionary<string, string?>? settings = null)
    {
        var app = new MiniCCFactory(settings);
        _apps.Add(app);
        return app;
    }

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }
    }
}
