namespace MiniCC.Tests.Browser;

/// <summary>
/// The browser tests run one after another (beside the rest of the suite): each starts its own Chromium, and several at
/// once on a two-core machine starved a page long enough to miss a 90 s wait in CI.
/// </summary>
[CollectionDefinition(Name)]
public sealed class OneBrowserAtATime
{
    public const string Name = "One browser at a time";
}
