using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

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
        var errors = new List<string>();
        if (o.PerClientPerMinute is < 1 or > 10_000)
        {
            errors.Add("MiniCC:SignIn:PerClientPerMinute must be 1 to 10000.");
        }

        if (o.PerUserPer15Minutes is < 1 or > 10_000)
        {
            errors.Add("MiniCC:SignIn:PerUserPer15Minutes must be 1 to 10000.");
        }

        if (o.ConcurrentVerifications is < 1 or > 64)
        {
            errors.Add("MiniCC:SignIn:ConcurrentVerifications must be 1 to 64.");
        }

        if (o.QueuedVerifications is < 0 or > 1000)
        {
            errors.Add("MiniCC:SignIn:QueuedVerifications must be 0 to 1000.");
        }

        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

/// <summary>What became of a sign-in attempt: the user (null for wrong credentials), or a refusal and when to retry.</summary>
public sealed record SignInOutcome(User? User, TimeSpan? RetryAfter)
{
    public bool Refused => RetryAfter is not null;
}

/// <summary>
/// Stands before every password check of the page sign-in: a limit per client, a lockout per user name
/// after too many wrong passwords, and a bound on the checks running at once. A refused attempt costs no
/// PBKDF2, so a flood of sign-ins can neither guess passwords quickly nor take the CPU from the webhooks.
/// </summary>
public sealed partial class SignInGuard : IDisposable
{
    public static readonly TimeSpan ClientWindow = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan UserWindow = TimeSpan.FromMinutes(15);

    // A full queue frees up within a few checks; a second is a fair time to come back.
    private static readonly TimeSpan BusyRetryAfter = TimeSpan.FromSeconds(1);

    private readonly PartitionedRateLimiter<string> _perClient;
    private readonly PartitionedRateLimiter<string> _perUser;
    private readonly ConcurrencyLimiter _checks;
    private readonly ILogger<SignInGuard> _log;
    private long _checked;

    public SignInGuard(IOptions<SignInOptions> options, TimeProvider time, ILogger<SignInGuard> log)
    {
        ArgumentNullException.ThrowIfNull(options);
        var o = options.Value;
        _log = log;
        _perClient = PartitionedRateLimiter.Create<string, string>(key =>
            RateLimitPartition.Get(key, _ => new WindowLimiter(time, o.PerClientPerMinute, ClientWindow)));
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

    /// <summary>Runs <paramref name="check"/> (the password check) unless a limit refuses the attempt first.</summary>
    public async Task<SignInOutcome> AttemptAsync(IPAddress? client, string username, Func<CancellationToken, Task<User?>> check, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(check);
        var clientKey = ClientKey(client);
        var userKey = UserKey(username);
        using (var lease = _perClient.AttemptAcquire(clientKey))
        {
            if (!lease.IsAcquired)
            {
                return Refuse(username, clientKey, "too many attempts from this client", RetryAfter(lease));
            }
        }

        // Asked before waiting for a check, so that a locked name does not queue; asked again once it may run.
        if (Locked(userKey) is { } early)
        {
            return Refuse(username, clientKey, "too many wrong passwords for this user name", early);
        }

        using var slot = await CheckSlotAsync(ct);
        if (!slot.IsAcquired)
        {
            return Refuse(username, clientKey, "too many password checks at once", BusyRetryAfter);
        }

        // With one check at a time, a name's checks and its count of wrong passwords follow one another:
        // no burst of parallel guesses gets past the lockout.
        if (Locked(userKey) is { } late)
        {
            return Refuse(username, clientKey, "too many wrong passwords for this user name", late);
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

    public void Dispose()
    {
        _perClient.Dispose();
        _perUser.Dispose();
        _checks.Dispose();
    }

    private TimeSpan? Locked(string userKey)
    {
        using var lease = _perUser.AttemptAcquire(userKey, 0);
        return lease.IsAcquired ? null : RetryAfter(lease);
    }

    private SignInOutcome Refuse(string username, string client, string reason, TimeSpan retryAfter)
    {
        Refused(_log, UserStore.UsernameProblem(username) is null ? username : "(not a user name)", client, reason, Math.Ceiling(retryAfter.TotalSeconds));
        return new SignInOutcome(null, retryAfter);
    }

    private static TimeSpan RetryAfter(RateLimitLease lease) =>
        lease.TryGetMetadata(MetadataName.RetryAfter, out var after) && after > TimeSpan.Zero ? after : BusyRetryAfter;

    /// <summary>One client is one address; for IPv6 its /64, which one household or host usually holds whole.</summary>
    private static string ClientKey(IPAddress? address)
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

    /// <summary>Case-blind (MySQL compares names so); every malformed name shares one key, as no user has one.</summary>
    private static string UserKey(string username) => UserStore.UsernameProblem(username) is null ? username.ToUpperInvariant() : "";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused sign-in for user name {Username} from {Client}: {Reason}; try again in {Seconds} s")]
    private static partial void Refused(ILogger logger, string username, string client, string reason, double seconds);
}

public static class SignInGuardServices
{
    public static IServiceCollection AddSignInGuard(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SignInOptions>().Bind(configuration.GetSection(SignInOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SignInOptions>, SignInOptionsValidator>();
        services.AddSingleton<SignInGuard>();
        return services;
    }
}
