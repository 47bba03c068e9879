using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;
using MiniCC.Settings;

namespace MiniCC.Security;

/// <summary>The <c>MiniCC:SignIn</c> section: how hard the page sign-in may be tried.</summary>
public sealed class SignInOptions
{
    public const string Section = "MiniCC:SignIn";

    /// <summary>Sign-in attempts one client (IP address; an IPv6 /64) may make per minute, right or wrong.</summary>
    public int PerClientPerMinute { get; set; } = 20;

    /// <summary>Wrong passwords one user name may take in 15 minutes; then it is refused, even the right password, until they pass.</summary>
    public int PerUserPer15Minutes { get; set; } = 10;

    /// <summary>Password checks (PBKDF2, tens of milliseconds of CPU each) running at once on this instance.</summary>
    public int ConcurrentVerifications { get; set; } = 1;

    /// <summary>Attempts that may wait for a password check; more are refused at once.</summary>
    public int QueuedVerifications { get; set; } = 10;
}

internal sealed class SignInOptionsValidator : IValidateOptions<SignInOptions>
{
    public ValidateOptionsResult Validate(string? name, SignInOptions o)
    {
        var p = new SettingProblems(SignInOptions.Section);
        p.Range(nameof(o.PerClientPerMinute), o.PerClientPerMinute, 1, 10_000);
        p.Range(nameof(o.PerUserPer15Minutes), o.PerUserPer15Minutes, 1, 10_000);
        p.Range(nameof(o.ConcurrentVerifications), o.ConcurrentVerifications, 1, 64);
        p.Range(nameof(o.QueuedVerifications), o.QueuedVerifications, 0, 1000);
        return p.Result;
    }
}

/// <summary>What became of a sign-in attempt: the user (null for wrong credentials), or a refusal and when to retry.</summary>
public sealed record SignInOutcome(User? User, TimeSpan? RetryAfter);

/// <summary>
/// The per-client limit, as a policy of ASP.NET Core's rate limiter: the middleware refuses before the form is
/// read or the antiforgery token decrypted, so a flood from one client costs next to nothing.
/// </summary>
public sealed class SignInClientLimit(IOptions<SignInOptions> options, TimeProvider time) : IRateLimiterPolicy<string>
{
    public const string Name = "signin-client";

    public static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    /// <summary>Null: the rate limiter's own OnRejected (set with the pages) answers.</summary>
    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => null;

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var limit = options.Value.PerClientPerMinute;
        return RateLimitPartition.Get(ClientKey(httpContext.Connection.RemoteIpAddress), _ => new WindowLimiter(time, limit, Window));
    }

    /// <summary>One client is one address; for IPv6 its /64, which one household or host usually holds whole.</summary>
    public static string ClientKey(IPAddress? address)
    {
        if (address is null)
        {
            return "(unknown)";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}

/// <summary>
/// Stands before every password check of the page sign-in (after the per-client limit): a lockout per user
/// name after too many wrong passwords, and a bound on the checks running at once. A refused attempt costs
/// no PBKDF2, so a flood of sign-ins can neither guess passwords quickly nor take the CPU from the webhooks.
/// </summary>
public sealed partial class SignInGuard : IDisposable
{
    public static readonly TimeSpan UserWindow = TimeSpan.FromMinutes(15);

    // A full queue frees up within a few checks; a second is a fair time to come back.
    private static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    // A flood is refused thousands of times a second: the log gets the first refusal, then a line a second at most.
    private static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(1);

    private readonly PartitionedRateLimiter<string> _perUser;
    private readonly ConcurrencyLimiter _checks;
    private readonly TimeProvider _time;
    private readonly ILogger<SignInGuard> _log;
    private long _checked;
    private long _lastLogged = long.MinValue;
    private long _unlogged;

    public SignInGuard(IOptions<SignInOptions> options, TimeProvider time, ILogger<SignInGuard> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _time = time;
        _log = log;
        _perUser = PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.Get(key, _ => new WindowLimiter(time, o.PerUserPer15Minutes, UserWindow)));
        _checks = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = o.ConcurrentVerifications,
            QueueLimit = o.QueuedVerifications,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
    }

    /// <summary>Password checks run so far; refused attempts run none.</summary>
    public long Checked => Interlocked.Read(ref _checked);

    /// <summary>Runs <paramref name="check"/> (the password check) unless the user name is locked or the checks are busy.</summary>
    public async Task<SignInOutcome> AttemptAsync(IPAddress? client, string username, Func<CancellationToken, Task<User?>> check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var userKey = UserKey(username);

        // Asked before waiting for a check, so that a locked name does not queue; asked again once it may run.
        if (Locked(userKey) is { } early)
        {
            return Refuse(username, client, "too many wrong passwords for this user name", early);
        }

        using var slot = await CheckSlotAsync(ct);
        if (!slot.IsAcquired)
        {
            return Refuse(username, client, "too many password checks at once", BusyRetryAfter);
        }

        // With one check at a time, a name's checks and its count of wrong passwords follow one another:
        // no burst of parallel guesses gets past the lockout.
        if (Locked(userKey) is { } late)
        {
            return Refuse(username, client, "too many wrong passwords for this user name", late);
        }

        Interlocked.Increment(ref _checked);
        var user = await check(ct);
        if (user is null)
        {
            _perUser.AttemptAcquire(userKey).Dispose();
        }

        return new SignInOutcome(user, null);
    }

    /// <summary>A turn to check a password; internal so that a test can hold the only one.</summary>
    internal ValueTask<RateLimitLease> CheckSlotAsync(CancellationToken ct) => _checks.AcquireAsync(1, ct);

    /// <summary>Logs a refusal: the first at once, then at most a line a second, which counts the ones left out.</summary>
    public void LogRefusal(string? username, IPAddress? client, string reason, TimeSpan retryAfter)
    {
        var now = _time.GetTimestamp();
        var last = Interlocked.Read(ref _lastLogged);
        if ((last != long.MinValue && _time.GetElapsedTime(last, now) < LogInterval) || Interlocked.CompareExchange(ref _lastLogged, now, last) != last)
        {
            Interlocked.Increment(ref _unlogged);
            return;
        }

        Refused(_log, username is null ? "(not read)" : UserStore.UsernameProblem(username) is null ? username : "(not a user name)",
            SignInClientLimit.ClientKey(client), reason, Math.Ceiling(retryAfter.TotalSeconds), Interlocked.Exchange(ref _unlogged, 0));
    }

    public void Dispose()
    {
        _perUser.Dispose();
        _checks.Dispose();
    }

    private TimeSpan? Locked(string userKey)
    {
        using var lease = _perUser.AttemptAcquire(userKey, 0);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    private SignInOutcome Refuse(string username, IPAddress? client, string reason, TimeSpan retryAfter)
    {
        LogRefusal(username, client, reason, retryAfter);
        return new SignInOutcome(null, retryAfter);
    }

    /// <summary>When a refused lease says to come back; a second when it does not say.</summary>
    public static TimeSpan RetryAfter(RateLimitLease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : BusyRetryAfter;
    }

    /// <summary>Case-blind (MySQL compares names so); every malformed name shares one key, as no user has one.</summary>
    private static string UserKey(string username) => UserStore.UsernameProblem(username) is null ? username.ToUpperInvariant() : "";

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Refused sign-in for user name {Username} from {Client}: {Reason}; try again in {Seconds} s ({Unlogged} other refusals since the last such line)")]
    private static partial void Refused(ILogger logger, string username, string client, string reason, double seconds, long unlogged);
}

public static class SignInGuardServices
{
    /// <summary>The guard; its settings (<c>MiniCC:SignIn</c>) are bound with every other by AddMiniCCSettings.</summary>
    public static IServiceCollection AddSignInGuard(this IServiceCollection services)
    {
        services.AddSingleton<SignInGuard>();
        return services;
    }
}
