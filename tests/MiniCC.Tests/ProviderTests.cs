namespace MiniCC.Tests;

/// <summary>
/// A test class that runs once per database provider. The app is created on first use, inside the test,
/// so that a provider whose server is not configured skips the test with its reason.
/// </summary>
public abstract class ProviderTests(string provider) : IDisposable
{
    private MiniCCFactory? _factory;

    protected string Provider { get; } = provider;

    protected MiniCCFactory App => _factory ??= new MiniCCFactory(Provider, Settings);

    /// <summary>The test app's settings beyond the factory's own.</summary>
    protected virtual Dictionary<string, string?>? Settings => null;

    public void Dispose()
    {
        _factory?.Dispose();
        GC.SuppressFinalize(this);
    }
}
