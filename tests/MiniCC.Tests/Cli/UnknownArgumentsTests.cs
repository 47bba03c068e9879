using MiniCC.Cli;

namespace MiniCC.Tests.Cli;

/// <summary>What the web host takes from the command line passes; a mistyped verb or option does not.</summary>
public sealed class UnknownArgumentsTests
{
    private static readonly string[] Verbs = ["serve", "operators", "migrate", "report"];

    [Theory]
    [InlineData("--urls", "http://127.0.0.1:5080")]
    [InlineData("--urls=http://127.0.0.1:5080")]
    [InlineData("--environment", "Production", "--contentRoot", "/srv/minicc")]
    [InlineData("--MiniCC:Language=en", "--Twilio:AuthToken", "x")]
    [InlineData("MiniCC:Language=en")]
    [InlineData("--Logging__LogLevel__Default", "Warning")]
    [InlineData("--Twilio=", "--Twilio:AuthToken=x", "--MiniCC=", "--environment=Development", "--applicationName=minicc")]
    public void TheHostsOptionsAndSettingsPass(params string[] args) => Assert.Null(UnknownArguments.Find(args, Verbs));

    [Theory]
    [InlineData("unknown verb 'migrat'; did you mean 'migrate'?", "migrat")]
    [InlineData("unknown verb 'xyzzy'. The verbs: serve, operators, migrate, report", "xyzzy")]
    [InlineData("unknown option '--url'; did you mean '--urls'?", "--url", "http://127.0.0.1:5080")]
    [InlineData("unexpected argument 'extra'", "--urls", "http://127.0.0.1:5080", "extra")]
    public void AnythingElseIsNamedWithTheNearestKnownWord(string said, params string[] args) =>
        Assert.StartsWith(said, UnknownArguments.Find(args, Verbs), StringComparison.Ordinal);
}
