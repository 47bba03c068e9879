using MiniCC.Tests.Menu;
using MiniCC.Tests.Settings;

namespace MiniCC.Tests.Cli;

/// <summary><c>minicc menu check</c> and <c>minicc menu show</c>: a menu checked and printed without a server or a database.</summary>
public sealed class MenuCommandTests : IDisposable
{
    private readonly Minicc _cli = new();

    /// <summary>The queues the menus of these tests name (a queue node must name one of the center's).</summary>
    public MenuCommandTests()
    {
        _cli.Environment["MiniCC__Queues__0__Name"] = "support";
        _cli.Environment["MiniCC__Queues__1__Name"] = "sales";
    }

    public void Dispose() => _cli.Dispose();

    private static string Example => Path.Combine(SettingsListTests.RepositoryRoot(), "docs", "menu-example.json");

    [Fact]
    public async Task TheReadmesExampleMenuChecksOk()
    {
        var result = await _cli.RunAsync("menu", "check", Example);
        Assert.True(result.ExitCode == 0, result.Err);
        Assert.Equal($"OK: 11 nodes ({Example}).", result.Out.Trim());
        Assert.False(File.Exists(_cli.DatabaseFile), "checking a menu touches no database");
    }

    [Fact]
    public async Task WithoutAFileTheConfiguredMenuIsChecked()
    {
        var original = await _cli.RunAsync("menu", "check");
        Assert.Equal(0, original.ExitCode);
        Assert.Equal("OK: 6 nodes (the original's).", original.Out.Trim());

        File.WriteAllText(Path.Combine(_cli.WorkingDirectory, "menu.json"), MenuSourceTests.TwoLanguages);
        _cli.Environment["MiniCC__Menu__File"] = "menu.json";
        var configured = await _cli.RunAsync("menu", "check");
        Assert.Equal(0, configured.ExitCode);
        Assert.Equal("OK: 3 nodes (menu.json).", configured.Out.Trim());
    }

    [Fact]
    public async Task AFileWithProblemsListsEveryOneAndExitsOne()
    {
        var path = Path.Combine(_cli.WorkingDirectory, "bad.json");
        File.WriteAllText(path, MenuSourceTests.TwoLanguages
            .Replace("{ \"Key\": \"2\"", "{ \"Key\": \"1\"", StringComparison.Ordinal)
            .Replace("\"En\": \"Connecting you.\"", "\"AudioUrl\": \"hello.mp3\"", StringComparison.Ordinal));
        var result = await _cli.RunAsync("menu", "check", path);
        Assert.Equal(1, result.ExitCode);
        var lines = result.Err.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Contains("Node 'language': the key '1' is used twice; each option needs a key of its own.", lines);
        Assert.Contains("Node 'support', Say 1: give exactly one of a text (Ja, En), an AudioUrl or a Prompt.", lines);
        Assert.Equal($"minicc: 2 problems in the menu ({path}).", lines[^1]);
        Assert.Empty(result.Out);
    }

    [Fact]
    public async Task AConfiguredMenuWithProblemsIsRefusedAsTheServerWouldRefuseIt()
    {
        _cli.Environment["MiniCC__Menu__Nodes__main__Type"] = "menu";
        _cli.Environment["MiniCC__Menu__Start"] = "main";
        var result = await _cli.RunAsync("menu", "check");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("minicc: MiniCC:Menu: Node 'main': a menu has no options; give it at least one (Options).", result.Err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMissingFileIsNamed()
    {
        var result = await _cli.RunAsync("menu", "check", "/nowhere/menu.json");
        Assert.Equal(1, result.ExitCode);
        Assert.Equal("minicc: The menu file /nowhere/menu.json does not exist.", result.Err.Trim());
    }

    [Fact]
    public async Task ShowPrintsTheOriginalMenuAsAnOutline()
    {
        var result = await _cli.RunAsync("menu", "show");
        Assert.Equal(0, result.ExitCode);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal("Menu (the original's), heard in ja-JP:", lines[0]);
        Assert.Equal("  start  hours", lines[1]);
        // The first words: as wide as 80 columns of a terminal, where a Japanese character takes two.
        Assert.StartsWith("    open → main  menu  \"オペレーターとのお話をご希望の方は1を、", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("を押して…\"", lines[2], StringComparison.Ordinal);
        Assert.StartsWith("      1 → operator  queue  \"", lines[3], StringComparison.Ordinal);
        Assert.StartsWith("      2 → information  information  \"", lines[4], StringComparison.Ordinal);
        Assert.StartsWith("      silence → operator-no-input  queue  \"", lines[5], StringComparison.Ordinal);
        Assert.StartsWith("    closed → closed  closed  \"", lines[6], StringComparison.Ordinal);
        Assert.Equal(7, lines.Count);
    }

    [Fact]
    public async Task ShowFollowsALoopOnceAndListsUnreachableNodesAtTheEnd()
    {
        var path = Path.Combine(_cli.WorkingDirectory, "menu.json");
        File.WriteAllText(path, MenuSourceTests.TwoLanguages.Replace(
            "\"english\": {", "\"orphan\": { \"Type\": \"information\" }, \"english\": {", StringComparison.Ordinal));
        var result = await _cli.RunAsync("menu", "show", path);
        var lines = result.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd()).ToList();
        Assert.Equal(
        [
            $"Menu ({path}), heard in ja-JP and en-US:",
            "  language  menu  \"日本語は1を。\"",
            "    1 → support  queue [support]  \"おつなぎします。\"",
            "    2 → english  language",
            "      then → support (above)",
            "Unreachable:",
            "  orphan  information  \"" + MiniCC.Voice.PromptSet.Find("ja-JP")!.Information[..39] + "…\"",
        ], lines);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("1 problem in the menu: see minicc menu check.", result.Err, StringComparison.Ordinal);
    }
}
