using System.Net;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;

namespace MiniCC.Tests.Security;

/// <summary>Sign-in is limited per client and per user name, and password checks never crowd out the webhooks.</summary>
public sealed class SignInLimitTests
{
    /// <summary>Password checks that really ran: each wrong one is logged once.</summary>
    private static int FailedChecks(MiniCCFactory app) => app.Logs.Lines.Count(l => l.Contains("Failed sign-in", StringComparison.Ordinal));

    [Fact]
    public async Task AFloodFromOneClientIsRefusedAfterTheLimitWithoutCheckingThePasswords()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:Language"] = "en-US", ["MiniCC:SignIn:PerClientPerMinute"] = "3" });
        using var browser = SignInForm.NewBrowser(app);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 8; i++)
        {
            using var response = await SignInForm.PostAsync(browser, "user" + i, "wrong password " + i);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                var retryAfter = response.Headers.RetryAfter?.Delta;
                Assert.True(retryAfter is { TotalSeconds: > 0 and <= 60 }, $"Retry-After was {retryAfter}");
                Assert.Contains("Too many sign-in attempts", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            }
        }

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 3), .. Enumerable.Repeat(HttpStatusCode.TooManyRequests, 5)], statuses);
        Assert.Equal(3, FailedChecks(app));
        Assert.Equal(3, app.Services.GetRequiredService<SignInGuard>().Checked);

        // A flood is logged as its first refusal, then a line a second at most that counts the others.
        string[] Refusals() => [.. app.Logs.Lines.Where(l => l.Contains("Refused sign-in", StringComparison.Ordinal))];
        Assert.Contains("too many attempts from this client", Assert.Single(Refusals()), StringComparison.Ordinal);

        // A minute later the client may try again, as often as before.
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        for (var i = 0; i < 3; i++)
        {
            using var later = await SignInForm.PostAsync(browser, "user9", "wrong password 9");
            Assert.Equal(HttpStatusCode.Unauthorized, later.StatusCode);
        }

        using var refusedAgain = await SignInForm.PostAsync(browser, "user9", "wrong password 9");
        Assert.Equal(HttpStatusCode.TooManyRequests, refusedAgain.StatusCode);
        Assert.Equal(2, Refusals().Length);
        Assert.Contains("(4 other refusals since the last such line)", Refusals()[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AUserNameUnderAttackCannotBeSignedIntoEvenWithTheRightPasswordUntilTheWindowPasses()
    {
        using var app = new RemoteAddressFactory(new() { ["MiniCC:Language"] = "en-US", ["MiniCC:SignIn:PerUserPer15Minutes"] = "3" });
        var users = app.Services.GetRequiredService<UserStore>();
        await users.AddAsync("manager", SignInForm.Password, default);
        await users.AddAsync("sato", SignInForm.Password, default);
        using var browser = SignInForm.NewBrowser(app);
        const string attacker = "203.0.113.9", office = "198.51.100.7";

        for (var i = 0; i < 3; i++)
        {
            using var wrong = await SignInForm.PostAsync(browser, "manager", "guess number " + i, attacker);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        }

        using var attackerRight = await SignInForm.PostAsync(browser, "manager", SignInForm.Password, attacker);
        Assert.Equal(HttpStatusCode.TooManyRequests, attackerRight.StatusCode);
        using var officeRight = await SignInForm.PostAsync(browser, "MANAGER", SignInForm.Password, office);
        Assert.Equal(HttpStatusCode.TooManyRequests, officeRight.StatusCode);
        Assert.True(officeRight.Headers.RetryAfter?.Delta is { TotalMinutes: > 14 and <= 15 }, $"Retry-After was {officeRight.Headers.RetryAfter}");
        Assert.Contains("Too many sign-in attempts", await officeRight.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(3, FailedChecks(app));

        // Another user, from another client, signs in as usual.
        using var sato = await SignInForm.PostAsync(browser, "sato", SignInForm.Password, office);
        Assert.Equal(HttpStatusCode.Redirect, sato.StatusCode);

        app.Clock.Advance(TimeSpan.FromMinutes(15));
        using var afterTheWindow = await SignInForm.PostAsync(browser, "manager", SignInForm.Password, office);
        Assert.Equal(HttpStatusCode.Redirect, afterTheWindow.StatusCode);
    }

    [Fact]
    public async Task WhilePasswordChecksAreBusyTheExcessIsRefusedAtOnceNotQueued()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:SignIn:ConcurrentVerifications"] = "1", ["MiniCC:SignIn:QueuedVerifications"] = "0" });
        await app.Services.GetRequiredService<UserStore>().AddAsync("manager", SignInForm.Password, default);
        var guard = app.Services.GetRequiredService<SignInGuard>();
        using var browser = SignInForm.NewBrowser(app);

        using (var busy = await guard.CheckSlotAsync(default))
        {
            Assert.True(busy.IsAcquired);
            using var refused = await SignInForm.PostAsync(browser, "manager", SignInForm.Password);
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.NotNull(refused.Headers.RetryAfter?.Delta);
            Assert.Equal(0, guard.Checked);
        }

        using var signedIn = await SignInForm.PostAsync(browser, "manager", SignInForm.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal(1, guard.Checked);
    }

    [Fact]
    public async Task ARefusalSaysToTryAgainLaterInThePagesLanguage()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:SignIn:PerClientPerMinute"] = "1" });
        using var browser = SignInForm.NewBrowser(app);
        using var first = await SignInForm.PostAsync(browser, "manager", "wrong password");
        using var second = await SignInForm.PostAsync(browser, "manager", "wrong password");
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        var html = await second.Content.ReadAsStringAsync();
        Assert.Contains("lang=\"ja\"", html, StringComparison.Ordinal);
        Assert.Contains("しばらくしてから", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/signin\">サインイン画面に戻る</a>", html, StringComparison.Ordinal);
    }
}
