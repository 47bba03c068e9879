using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using MiniCC.Desk;

namespace MiniCC.Tests.Desk;

/// <summary>MiniCC:Desk:Dispositions: a list set in the environment or appsettings, checked at start, naming each wrong key.</summary>
public sealed class DispositionSettingsTests : IDisposable
{
    private readonly Minicc _cli = new();

    public void Dispose() => _cli.Dispose();

    private void Item(int index, string? key, string? ja, string? en)
    {
        foreach (var (name, value) in new[] { ("Key", key), ("Ja", ja), ("En", en) })
        {
            if (value is not null)
            {
                _cli.Environment[$"MiniCC__Desk__Dispositions__{index}__{name}"] = value;
            }
        }
    }

    [Theory]
    [InlineData("Follow Up", "MiniCC:Desk:Dispositions:1:Key is 'Follow Up'; a disposition's key is 1 to 32 of a-z, 0-9 and -")]
    [InlineData("", "MiniCC:Desk:Dispositions:1:Key is ''")]
    [InlineData("a-key-that-is-longer-than-thirty-two", "MiniCC:Desk:Dispositions:1:Key is 'a-key-that-is-longer-than-thirty-two'")]
    [InlineData("sale", "MiniCC:Desk:Dispositions:1:Key is 'sale', as MiniCC:Desk:Dispositions:0:Key is; each key once.")]
    public async Task AWrongOrRepeatedKeyStopsMiniCCNamingIt(string key, string message)
    {
        Item(0, "sale", "成約", "Sale");
        Item(1, key, "ラベル", "Label");
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "Sale", "MiniCC:Desk:Dispositions:0:Ja must be a label")]
    [InlineData("成約", "  ", "MiniCC:Desk:Dispositions:0:En must be a label")]
    [InlineData("成約\n2行", "Sale", "MiniCC:Desk:Dispositions:0:Ja must be a label")]
    public async Task AMissingOrBlankLabelStopsMiniCCNamingIt(string? ja, string? en, string message)
    {
        Item(0, "sale", ja, en);
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheListIsNotOneValue()
    {
        _cli.Environment["MiniCC__Desk__Dispositions"] = "resolved";
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MiniCC:Desk:Dispositions is a list, not one value", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheKeysOfAListsItemsAreNoUnknownSettings()
    {
        Item(0, "sale", "成約", "Sale");
        Item(1, "no-sale", "不成約", "No sale");
        // Another list of items, checked the same way.
        _cli.Environment["MiniCC__OperatorStates__BreakReasons__0__Key"] = "smoke";
        _cli.Environment["MiniCC__OperatorStates__BreakReasons__0__Ja"] = "喫煙";
        _cli.Environment["MiniCC__OperatorStates__BreakReasons__0__En"] = "Smoke";
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("", result.Err);
    }

    [Fact]
    public void AConfiguredListReplacesTheDefaultOneWhichIsOtherwiseUsed()
    {
        using (var configured = new MiniCCFactory(new()
        {
            ["MiniCC:Desk:Dispositions:0:Key"] = "sale",
            ["MiniCC:Desk:Dispositions:0:Ja"] = "成約",
            ["MiniCC:Desk:Dispositions:0:En"] = "Sale",
        }))
        {
            var desk = configured.Services.GetRequiredService<IOptions<DeskOptions>>().Value;
            Assert.Equal(["sale:成約:Sale"], desk.DispositionChoices.Select(d => $"{d.Key}:{d.Ja}:{d.En}"));
        }

        using var plain = new MiniCCFactory();
        Assert.Equal(["resolved", "follow-up", "information-only", "complaint", "wrong-number"],
            plain.Services.GetRequiredService<IOptions<DeskOptions>>().Value.DispositionChoices.Select(d => d.Key));
    }
}
