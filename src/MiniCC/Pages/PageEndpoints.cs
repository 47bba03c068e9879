using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using MiniCC.Operators;
using MiniCC.Pages.SignIn;
using MiniCC.Security;
using MiniCC.Storage;
using MiniCC.Voice;

namespace MiniCC.Pages;

/// <summary>Pages for people. Every page but sign-in needs a signed-in user (a cookie); webhooks never accept one.</summary>
public static partial class PageEndpoints
{
    public const string SignInPath = PageRoutes.SignIn;
    public const string SignOutPath = PageRoutes.SignOut;

    /// <summary>The request header that may carry the antiforgery token instead of the form (a script's fetch sends it there).</summary>
    public const string AntiforgeryHeader = "RequestVerificationToken";

    public static IServiceCollection AddPages(this IServiceCollection services)
    {
        services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme).AddCookie(o =>
        {
            o.LoginPath = SignInPath;
            o.LogoutPath = SignOutPath;
            o.Cookie.Name = "minicc.auth";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = SameSiteMode.Strict;
            o.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            o.ExpireTimeSpan = TimeSpan.FromHours(12);
            o.SlidingExpiration = true;
        });
        services.AddAuthorization();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "minicc.af";
            o.HeaderName = AntiforgeryHeader;
        });
        // Pages are Razor components rendered on the server only (no interactivity, no Blazor script).
        services.AddRazorComponents();
        // Japanese (all of Unicode) is written as itself, not as character references; markup characters are always encoded.
        services.AddWebEncoders(o => o.TextEncoderSettings = new System.Text.Encodings.Web.TextEncoderSettings(System.Text.Unicode.UnicodeRanges.All));
        services.AddSingleton(sp => DashText.For(sp.GetRequiredService<IOptions<VoiceOptions>>().Value.Language,
            sp.GetRequiredService<IOptions<MiniCC.Reports.ReportOptions>>().Value.Zone));
        services.AddOptions<CookiePolicyOptions>().Configure<IOptions<VoiceOptions>>((o, voice) => o.Secure = CookieSecurity(voice.Value));
        services.AddSignInGuard();
        services.AddRateLimiter(o =>
        {
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.AddPolicy<string, SignInClientLimit>(SignInClientLimit.Name);
            o.OnRejected = async (context, ct) =>
            {
                var http = context.HttpContext;
                var wait = SignInGuard.RetryAfter(context.Lease);
                http.RequestServices.GetRequiredService<SignInGuard>().LogRefusal(null, http.Connection.RemoteIpAddress, "too many attempts from this client", wait);
                await TooManyAttempts(http, http.RequestServices.GetRequiredService<DashText>(), wait).ExecuteAsync(http);
            };
        });
        return services;
    }

    /// <summary>
    /// Every cookie is Secure whenever the public address is https, even on a request that arrived over plain http
    /// (from a proxy that ends TLS but is not in MiniCC:TrustedProxies): the browser must never send them in clear.
    /// Without a public address, every cookie set on an https request is Secure (the antiforgery cookie's own default
    /// would leave it plain). Done by the cookie policy, not each cookie's SecurePolicy=Always, which antiforgery refuses
    /// on an http request.
    /// </summary>
    private static CookieSecurePolicy CookieSecurity(VoiceOptions voice) =>
        Uri.TryCreate(voice.PublicBaseUrl, UriKind.Absolute, out var url) && url.Scheme == Uri.UriSchemeHttps
            ? CookieSecurePolicy.Always
            : CookieSecurePolicy.SameAsRequest;

    public static IEndpointRouteBuilder MapPages(this IEndpointRouteBuilder app)
    {
        app.MapGet(SignInPath, async (UserStore users, string? returnUrl, CancellationToken ct) =>
            SignInPage(returnUrl, error: null, noUsers: await NoUsersAsync(users, ct)));

        app.MapPost(SignInPath, async (HttpContext http, IAntiforgery af, UserStore users, SignInGuard guard, DashText text,
            ILoggerFactory logs, CancellationToken ct) =>
        {
            // The token is checked here, before the form is read (the build-time request delegates would answer a
            // form read with a failed token check with a 500).
            if (!await af.IsRequestValidAsync(http))
            {
                return BadToken();
            }

            var form = await http.Request.ReadFormAsync(ct);
            string? username = form["username"], password = form["password"], returnUrl = form["returnUrl"];
            var attempt = await guard.AttemptAsync(http.Connection.RemoteIpAddress, username ?? "",
                c => users.CheckAsync(username ?? "", password ?? "", c), ct);
            if (attempt.RetryAfter is { } wait)
            {
                return TooManyAttempts(http, text, wait);
            }

            if (attempt.User is not { } user)
            {
                SignInFailed(logs.CreateLogger("MiniCC.Pages"), LoggedName(username), http.Connection.RemoteIpAddress?.ToString() ?? "?");
                return SignInPage(returnUrl, text.WrongCredentials, await NoUsersAsync(users, ct), StatusCodes.Status401Unauthorized);
            }

            var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Username)], CookieAuthenticationDefaults.AuthenticationScheme);
            await http.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, new ClaimsPrincipal(identity));
            return Results.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "/");
        }).RequireRateLimiting(SignInClientLimit.Name);

        app.MapPost(SignOutPath, async (HttpContext http, IAntiforgery af) =>
        {
            // Minimal APIs check the token only on endpoints that bind a form; without it, any site could sign a user out.
            if (!await af.IsRequestValidAsync(http))
            {
                return BadToken();
            }

            await http.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.Redirect(SignInPath);
        }).RequireAuthorization();

        app.MapRazorComponents<App>();
        return app;
    }

    private static IResult BadToken() =>
        Results.Text("The antiforgery token is missing or wrong: reload the page and try again.\nフォームの確認用トークンがないか正しくありません。ページを再読み込みしてやり直してください。\n",
            "text/plain; charset=utf-8", statusCode: StatusCodes.Status400BadRequest);

    /// <summary>Tells the person who started MiniCC how to create the first user, when there is none.</summary>
    public static async Task WarnIfNoUsersAsync(IServiceProvider services)
    {
        try
        {
            if (await services.GetRequiredService<UserStore>().CountAsync(CancellationToken.None) == 0)
            {
                NoUsers(services.GetRequiredService<ILoggerFactory>().CreateLogger("MiniCC.Pages"));
            }
        }
        catch (System.Data.Common.DbException)
        {
        }
    }

    private static async Task<bool> NoUsersAsync(UserStore users, CancellationToken ct)
    {
        try
        {
            return await users.CountAsync(ct) == 0;
        }
        catch (System.Data.Common.DbException)
        {
            return false;
        }
    }

    private static IResult SignInPage(string? returnUrl, string? error, bool noUsers, int status = StatusCodes.Status200OK) =>
        new RazorComponentResult<SignInPage>(new { ReturnUrl = IsLocal(returnUrl) ? returnUrl! : "/", Error = error, NoUsers = noUsers })
        {
            StatusCode = status,
        };

    /// <summary>
    /// The refusal of a limited attempt: 429, Retry-After, and a page that says to try again later. No form on it:
    /// a flood is refused thousands of times a second, and a new antiforgery token each time would cost CPU.
    /// </summary>
    private static IResult TooManyAttempts(HttpContext http, DashText text, TimeSpan wait)
    {
        http.Response.Headers.RetryAfter = Math.Ceiling(wait.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        return new RazorComponentResult<SignInPage>(new { Error = text.TryLater(wait), Refused = true })
        {
            StatusCode = StatusCodes.Status429TooManyRequests,
        };
    }

    /// <summary>
    /// Only paths on this site: never an open redirect. ASP.NET's IsLocalUrl rule: no <c>//</c> or <c>/\</c>, and
    /// no control character, which browsers drop (<c>/\t/evil.example</c> would become <c>//evil.example</c>).
    /// </summary>
    private static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url[0] == '/' && (url.Length == 1 || (url[1] != '/' && url[1] != '\\')) && !url.Any(char.IsControl);

    /// <summary>The name as typed when it could be a user name; anything else (control characters included) stays out of the log.</summary>
    private static string LoggedName(string? username) => UserStore.UsernameProblem(username) is null ? username! : "(not a user name)";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Failed sign-in for user name {Username} from {Remote}")]
    private static partial void SignInFailed(ILogger logger, string username, string remote);

    [LoggerMessage(Level = LogLevel.Warning, Message = "No one can sign in to the pages yet: create the first user with `minicc users add <name>` (there is no default password).")]
    private static partial void NoUsers(ILogger logger);
}
