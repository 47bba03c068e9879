namespace MiniCC.Tests.Cli;

/// <summary><c>minicc operators skills</c>: the queues an operator serves, as a person sets them.</summary>
public sealed class OperatorSkillsCommandTests : IDisposable
{
    private readonly Minicc _cli = new();

    public OperatorSkillsCommandTests()
    {
        _cli.Environment["MiniCC__Queues__0__Name"] = "sales";
        _cli.Environment["MiniCC__Queues__1__Name"] = "english";
        _cli.Environment["MiniCC__Queues__1__Priority"] = "1";
    }

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task SkillsAreSetShownListedAndForgotten()
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678", "--name", "Sato")).ExitCode);
        var none = await _cli.RunAsync("operators", "skills", "+819012345678");
        Assert.Equal((0, "Operator +819012345678 serves every queue."), (none.ExitCode, none.Out.Trim()));

        var set = await _cli.RunAsync("operators", "skills", "090-1234-5678", "english:8", "sales");
        Assert.Equal(0, set.ExitCode);
        Assert.Contains("serves english (level 8), sales (level 5).", set.Out, StringComparison.Ordinal);
        Assert.Contains("+819012345678 serves english (level 8), sales (level 5).",
            (await _cli.RunAsync("operators", "skills", "+819012345678")).Out, StringComparison.Ordinal);
        Assert.Matches(@"\+819012345678\s+active\s+no\s+Sato \[serves english \(level 8\), sales \(level 5\)\]", (await _cli.RunAsync("operators", "list")).Out);

        Assert.Equal(0, (await _cli.RunAsync("operators", "skills", "+819012345678", "--all")).ExitCode);
        Assert.DoesNotContain("serves", (await _cli.RunAsync("operators", "list")).Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("support", "'support' is not a queue of MiniCC:Queues (sales, english).")]
    [InlineData("sales:11", "'sales:11': a level is a whole number from 1 to 10")]
    [InlineData("sales:x", "'sales:x': a level is a whole number from 1 to 10")]
    public async Task AnUnknownQueueOrALevelOutOfRangeIsRefusedAndNothingChanges(string skill, string message)
    {
        Assert.Equal(0, (await _cli.RunAsync("operators", "add", "+819012345678")).ExitCode);
        var refused = await _cli.RunAsync("operators", "skills", "+819012345678", skill);
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains(message, refused.Err, StringComparison.Ordinal);
        Assert.Contains("serves every queue", (await _cli.RunAsync("operators", "skills", "+819012345678")).Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task SkillsOfANumberThatIsNoOperatorAreRefused()
    {
        var refused = await _cli.RunAsync("operators", "skills", "+819099999999", "sales");
        Assert.Equal((1, true), (refused.ExitCode, refused.Err.Contains("+819099999999 is not an operator.", StringComparison.Ordinal)));
    }
}
