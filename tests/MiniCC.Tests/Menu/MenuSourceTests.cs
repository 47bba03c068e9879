using Microsoft.Extensions.DependencyInjection;
using MiniCC.Menu;

namespace MiniCC.Tests.Menu;

/// <summary>Where the menu comes from (settings, a file, the original's), and a menu that does not read or check stopping MiniCC at start.</summary>
public sealed class MenuSourceTests : IDisposable
{
    private readonly Minicc _cli = new();

    /// <summary>The queues the menus of these tests name (a queue node must name one of the center's).</summary>
    public MenuSourceTests()
    {
        _cli.Environment["MiniCC__Queues__0__Name"] = "support";
        _cli.Environment["MiniCC__Queues__1__Name"] = "sales";
    }

    public void Dispose() => _cli.Dispose();

    /// <summary>A two-language menu as a manager writes it: comments, a trailing comma.</summary>
    internal const string TwoLanguages = """
        {
          // Japanese or English first, then one queue.
          "Start": "language",
          "Nodes": {
            "language": {
              "Type": "menu",
              "Say": [ { "Ja": "日本語は1を。", "En": "For English, press 2." } ],
              "Options": [ { "Key": "1", "Next": "support" }, { "Key": "2", "Next": "english" }, ],
              "TimeoutSeconds": 5,
            },
            "english": { "Type": "language", "Language": "en-US", "Next": "support" },
            "support": { "Type": "queue", "Queue": "support", "Say": [ { "Ja": "おつなぎします。", "En": "Connecting you." } ] },
          },
        }
        """;

    private string WriteFile(string text)
    {
        var path = Path.Combine(_cli.WorkingDirectory, "menu.json");
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void WithNothingConfiguredTheMenuIsTheOriginals()
    {
        using var app = new MiniCCFactory();
        var tree = app.Services.GetRequiredService<MenuTree>();
        Assert.Equal("start", tree.Start);
        Assert.Equal(MenuDefaults.Original().Nodes.Keys.Order(), tree.Nodes.Keys.Order());
        Assert.Equal(["ja-JP"], tree.Languages);
        Assert.Equal(MenuNodeTypes.Queue, tree.Node("operator-no-input")?.Type);
        Assert.Null(tree.Node("nowhere"));
    }

    [Fact]
    public void AFileWithCommentsAndTrailingCommasIsTheMenu()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Menu:File"] = WriteFile(TwoLanguages), ["MiniCC:Queues:0:Name"] = "support" });
        var tree = app.Services.GetRequiredService<MenuTree>();
        Assert.Equal("language", tree.Start);
        Assert.Equal(["english", "language", "support"], tree.Nodes.Keys.Order());
        Assert.Equal(["ja-JP", "en-US"], tree.Languages);
        Assert.Equal(5, tree.Node("language")!.TimeoutSeconds);
        Assert.Equal("Connecting you.", tree.Node("support")!.Say[0].En);
    }

    [Fact]
    public void AMenuInTheSettingsIsTheMenu()
    {
        using var app = new MiniCCFactory(new()
        {
            ["MiniCC:Menu:Start"] = "welcome",
            ["MiniCC:Menu:Nodes:welcome:Type"] = "say",
            ["MiniCC:Menu:Nodes:welcome:Say:0:Ja"] = "本日の受付は終了しました。",
        });
        var tree = app.Services.GetRequiredService<MenuTree>();
        Assert.Equal("welcome", tree.Start);
        Assert.Equal("本日の受付は終了しました。", Assert.Single(tree.Nodes).Value.Say[0].Ja);
    }

    [Fact]
    public void AMisspeltPropertyInAFileIsNamedNotIgnored()
    {
        var path = WriteFile(TwoLanguages.Replace("\"en-US\", \"Next\"", "\"en-US\", \"Nxt\"", StringComparison.Ordinal));
        var (tree, problems) = MenuSource.Read(path);
        Assert.Null(tree);
        Assert.Equal($"The menu file {path}: Nodes:english:Nxt is not a property of a node; did you mean Next?", Assert.Single(problems));
    }

    [Fact]
    public void AValueOfTheWrongKindInAFileIsNamed()
    {
        var (_, problems) = MenuSource.Read(WriteFile(TwoLanguages.Replace("\"TimeoutSeconds\": 5", "\"TimeoutSeconds\": \"five\"", StringComparison.Ordinal)));
        Assert.EndsWith(": Nodes:language:TimeoutSeconds is 'five'; it must be a whole number.", Assert.Single(problems), StringComparison.Ordinal);
        (_, problems) = MenuSource.Read(WriteFile(TwoLanguages.Replace("\"Say\": [ { \"Ja\": \"日本語は1を。\", \"En\": \"For English, press 2.\" } ]",
            "\"Say\": { \"Ja\": \"日本語は1を。\" }", StringComparison.Ordinal)));
        Assert.EndsWith(": Nodes:language:Say:Ja: Say is a list; in JSON write it as [ … ].", Assert.Single(problems), StringComparison.Ordinal);
    }

    [Fact]
    public void AFileThatIsNotJsonIsNamedWithTheLine()
    {
        var path = WriteFile("{\n  \"Start\": \"main\"\n  \"Nodes\": {}\n}");
        var (tree, problems) = MenuSource.Read(path);
        Assert.Null(tree);
        Assert.StartsWith($"The menu file {path} is not valid JSON: ", Assert.Single(problems), StringComparison.Ordinal);
        Assert.Contains("LineNumber: 2", problems[0], StringComparison.Ordinal);
        Assert.Equal($"The menu file {path}.missing does not exist.", Assert.Single(MenuSource.Read(path + ".missing").Problems));
    }

    [Theory]
    [InlineData("MiniCC__Menu__Start", "welcome", "MiniCC:Menu: The menu's Start 'welcome' is no node; it must be one of 'start', 'closed', 'main'")]
    [InlineData("MiniCC__Menu__Nodes__start__Nxt", "main", "MiniCC:Menu:Nodes:start:Nxt is not a property of a node; did you mean Next?")]
    [InlineData("MiniCC__Menu__Nodes__main__TimeoutSeconds", "ten", "MiniCC:Menu:Nodes:main:TimeoutSeconds")]
    [InlineData("MiniCC__Menu__File", "missing.json", "missing.json does not exist.")]
    [InlineData("MiniCC__Menu__Fille", "menu.json", "MiniCC:Menu:Fille is not a setting; did you mean MiniCC:Menu:File?")]
    public async Task AMenuThatDoesNotReadOrCheckStopsMiniCCNamingIt(string variable, string value, string message)
    {
        if (variable.EndsWith("TimeoutSeconds", StringComparison.Ordinal))
        {
            // A menu of its own: the original's is used only when the settings hold no node.
            _cli.Environment["MiniCC__Menu__Start"] = "main";
            _cli.Environment["MiniCC__Menu__Nodes__main__Type"] = "queue";
        }

        _cli.Environment[variable] = value;
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains(message, result.Err, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AFileAndNodesInTheSettingsTogetherAreRefused()
    {
        _cli.Environment["MiniCC__Menu__File"] = WriteFile(TwoLanguages);
        _cli.Environment["MiniCC__Menu__Nodes__main__Type"] = "queue";
        var result = await _cli.RunAsync("operators", "list");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("MiniCC:Menu:File is set, and so is MiniCC:Menu:Start or :Nodes; keep the menu in one place", result.Err, StringComparison.Ordinal);
    }
}
