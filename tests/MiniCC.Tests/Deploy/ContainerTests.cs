using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Deploy;

/// <summary>
/// deploy/container: the README's container steps, in order, with Debian's podman and podman-compose. The image is built
/// from the shipped Containerfile on a Debian 12 base made here with debootstrap (no registry is reachable), and the
/// shipped compose.yaml runs it beside a stand-in for the official postgres image (PostgresStandIn: Debian's
/// PostgreSQL behind the official image's documented variables). Signed webhooks are answered and stored in PostgreSQL,
/// the first user is added with the verb inside the container, the health checks pass, and events spooled while the
/// database was away survive the containers being removed and are in the database after the next <c>up</c>.
/// </summary>
public sealed class ContainerTests(Xunit.Abstractions.ITestOutputHelper output) : IAsyncLifetime
{
    private const string Podman = "/usr/bin/podman";
    private const string Compose = "/usr/bin/podman-compose";
    private const string Debootstrap = "/usr/sbin/debootstrap";
    private const string Token = "container-test-token";
    private const string BaseImage = "localhost/minicc-test-debian:12";
    private const string MiniccImage = "localhost/minicc-test:latest";
    private const string PostgresImage = "localhost/minicc-test-postgres:15";

    private readonly string _directory = Directory.CreateTempSubdirectory("minicc-container-").FullName;
    private readonly string _project = "minicctest" + Guid.NewGuid().ToString("N")[..8];
    private readonly int _port = Minicc.FreePort();
    private Dictionary<string, string> _environment = [];

    private static string Repository => Settings.SettingsListTests.RepositoryRoot();

    private static string ComposeFile => Path.Combine(Repository, "deploy", "container", "compose.yaml");

    // compose.yaml names its containers (the same with every engine), so this test cannot run beside a real
    // deployment on the same machine; its project name keeps its network and volumes apart.
    private const string MiniccContainer = "minicc";

    private const string DbContainer = "minicc-db";

    public Task InitializeAsync()
    {
        // This machine's quirks, not the deployment's: crun refuses hybrid cgroups and podman's default limits exceed
        // what the sandbox lets a container set; runc with limits within the machine's works. The file is the test's own.
        var conf = Path.Combine(_directory, "containers.conf");
        var files = HardOpenFiles();
        File.WriteAllText(conf, $"""
            [containers]
            default_ulimits = ["nofile={files}:{files}", "nproc=4096:4096"]
            [engine]
            runtime = "runc"
            """);
        _environment = new()
        {
            ["CONTAINERS_CONF"] = conf,
            ["POSTGRES_PASSWORD"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            ["TWILIO_AUTH_TOKEN"] = Token,
            ["MINICC_PUBLIC_BASE_URL"] = $"http://127.0.0.1:{_port}",
            ["MINICC_PORT"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["MINICC_IMAGE"] = MiniccImage,
            ["POSTGRES_IMAGE"] = PostgresImage,
        };
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        if (File.Exists(Compose))
        {
            await Published.RunAsync(Compose, _directory, ["-p", _project, "-f", ComposeFile, "down"], _environment);
            await Published.RunAsync(Podman, _directory, ["volume", "prune", "-f", "--filter", "label=io.podman.compose.project=" + _project], _environment);
        }

        Directory.Delete(_directory, recursive: true);
    }

    [SkippableFact]
    public async Task TheImageAndComposeFileRunMiniccWithPostgresAndKeepTheSpoolAcrossContainers()
    {
        Skip.IfNot(File.Exists(Podman) && File.Exists(Compose) && File.Exists(Debootstrap), "Debian's podman, podman-compose and debootstrap are needed.");

        // Publish as the README says, then the image from that directory. (The other tests' publish and pack of this
        // build go first: this publish restores the project for linux-x64, rewriting the assets file they read.)
        await Published.DirectoryAsync();
        await Published.PackageSourceAsync();
        var publish = Path.Combine(_directory, "publish");
        await Run("dotnet", ["publish", Path.Combine(Repository, "src", "MiniCC"), "-p:PublishProfile=linux-x64", "-o", publish], bound: TimeSpan.FromMinutes(15));
        await BaseImageAsync();
        await Run(Podman, ["build", "--format", "docker", "--network", "host", "--build-arg", "BASE=" + BaseImage,
            "-f", Path.Combine(Repository, "deploy", "container", "Containerfile"), "-t", MiniccImage, publish]);
        await Run(Podman, ["build", "--network", "host", "--build-arg", "BASE=" + BaseImage, "-t", PostgresImage,
            Path.Combine(Repository, "tests", "MiniCC.Tests", "Deploy", "PostgresStandIn")]);
        var config = await Run(Podman, ["image", "inspect", "--format", "{{.Config.User}} {{json .Config.Healthcheck.Test}}", MiniccImage]);
        Assert.StartsWith("minicc ", config, StringComparison.Ordinal);
        Assert.Contains("/healthz", config, StringComparison.Ordinal);

        // Up; MiniCC answers once PostgreSQL does (it restarts until then if it came first).
        await Run(Compose, ["-p", _project, "-f", ComposeFile, "up", "-d"]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}"), Timeout = TimeSpan.FromSeconds(30) };
        await HealthyAsync(http, backlog: 0);

        // A proxy on the host (here: this test) reaches MiniCC from the network's gateway, which compose.yaml trusts:
        // its X-Forwarded-Proto: https makes the cookies Secure; without it they are not (the public URL is http here).
        Assert.False(await SecureCookieAsync(forwardedHttps: false));
        Assert.True(await SecureCookieAsync(forwardedHttps: true));

        // The first user, added by the verb inside the container, signs in over HTTP.
        await Run(Compose, ["-p", _project, "-f", ComposeFile, "exec", "-T", "minicc", "/opt/minicc/minicc", "users", "add", SignInForm.User, "--password-stdin"],
            SignInForm.Password + "\n");
        using var browser = await SignedInAsync();

        // Twilio's signed webhook is answered and stored; an unsigned one is refused.
        using var twilio = new HttpClient(new SigningHandler(Token) { InnerHandler = new SocketsHttpHandler() })
        {
            BaseAddress = http.BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
        var first = "CA" + Guid.NewGuid().ToString("N");
        using (var answer = await twilio.PostAsync(new Uri("/voice/incoming", UriKind.Relative), Incoming(first)))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
            Assert.Contains("<Response>", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var unsigned = await http.PostAsync(new Uri("/voice/incoming", UriKind.Relative), Incoming("CA" + Guid.NewGuid().ToString("N"))))
        {
            Assert.Equal(HttpStatusCode.Forbidden, unsigned.StatusCode);
        }

        await Eventually(async () => (await CallsAsync()).Contains(first), "the first call in PostgreSQL");

        // The health checks the image and the compose file define pass (podman runs them on demand without systemd).
        await Run(Podman, ["healthcheck", "run", MiniccContainer]);
        await Run(Podman, ["healthcheck", "run", DbContainer]);

        // The README's backup of the database, from the db service.
        var dump = await Run(Compose, ["-p", _project, "-f", ComposeFile, "exec", "-T", "db", "pg_dump", "-U", "minicc", "-Fc", "minicc"]);
        Assert.Contains("PGDMP", dump, StringComparison.Ordinal); // pg_dump's custom format (podman-compose prints its commands first)

        // The database goes away: the caller is still answered, and the event waits in the spool's volume.
        await Run(Podman, ["stop", "-t", "30", DbContainer]);
        var second = "CA" + Guid.NewGuid().ToString("N");
        using (var answer = await twilio.PostAsync(new Uri("/voice/incoming", UriKind.Relative), Incoming(second)))
        {
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        }

        await Eventually(async () => (await HealthAsync(http)).GetProperty("spool").GetProperty("backlog").GetInt32() > 0, "the event spooled");
        Assert.NotEmpty((await Run(Podman, ["exec", MiniccContainer, "ls", "/var/spool/minicc"])).Trim());

        // Down removes the containers (SIGTERM: MiniCC drains); the volumes stay. Up again: the spool is replayed.
        await Run(Compose, ["-p", _project, "-f", ComposeFile, "down", "-t", "45"]);
        await Run(Compose, ["-p", _project, "-f", ComposeFile, "up", "-d"]);
        await HealthyAsync(http, backlog: 0);
        var calls = await CallsAsync();
        Assert.Contains(first, calls);
        Assert.Contains(second, calls);

        // A new container, the same sign-in: the keys that protect the cookie are in the data volume (the user's home).
        using (var dashboard = await browser.GetAsync(new Uri("/", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        }
    }

    private async Task<bool> SecureCookieAsync(bool forwardedHttps)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{_port}/signin");
        if (forwardedHttps)
        {
            request.Headers.Add("X-Forwarded-Proto", "https");
            request.Headers.Add("X-Forwarded-For", "198.51.100.7");
        }

        using var response = await browser.SendAsync(request);
        var cookies = response.Headers.GetValues("Set-Cookie").ToList();
        Assert.NotEmpty(cookies);
        return cookies.All(c => c.Contains("; secure", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<HttpClient> SignedInAsync()
    {
        var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://127.0.0.1:{_port}"),
            Timeout = TimeSpan.FromSeconds(30),
        };
        using var signedIn = await SignInForm.PostAsync(browser, SignInForm.User, SignInForm.Password);
        Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        Assert.Equal("/", signedIn.Headers.Location?.ToString());
        using var dashboard = await browser.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, dashboard.StatusCode);
        return browser;
    }

    /// <summary>The Debian 12 base (minbase, as small as debian:12-slim) from Debian's archive, imported once per machine.</summary>
    private async Task BaseImageAsync()
    {
        if ((await Published.RunAsync(Podman, _directory, ["image", "exists", BaseImage], _environment)).ExitCode == 0)
        {
            return;
        }

        var root = Path.Combine(_directory, "rootfs");
        await Run(Debootstrap, ["--variant=minbase", "bookworm", root, "http://deb.debian.org/debian"]);
        var tar = Path.Combine(_directory, "rootfs.tar");
        await Run("/usr/bin/tar", ["-C", root, "-cf", tar, "."]);
        await Run(Podman, ["import", tar, BaseImage]);
        Directory.Delete(root, recursive: true);
        File.Delete(tar);
    }

    private async Task HealthyAsync(HttpClient http, int backlog) =>
        await Eventually(async () =>
        {
            var health = await HealthAsync(http);
            return health.GetProperty("database").GetProperty("reachable").GetBoolean()
                && health.GetProperty("spool").GetProperty("backlog").GetInt32() == backlog;
        }, "MiniCC healthy with its database");

    private static async Task<JsonElement> HealthAsync(HttpClient http) => await http.GetFromJsonAsync<JsonElement>(new Uri("/healthz", UriKind.Relative));

    private async Task<string[]> CallsAsync()
    {
        var rows = await Run(Podman, ["exec", DbContainer, "psql", "-U", "minicc", "-d", "minicc", "-tAc", "SELECT call_sid FROM calls"]);
        return rows.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Polls <paramref name="condition"/> (a failed request counts as not yet) for at most three minutes.</summary>
    private async Task Eventually(Func<Task<bool>> condition, string what)
    {
        Exception? last = null;
        for (var deadline = DateTime.UtcNow.AddMinutes(3); DateTime.UtcNow < deadline; await Task.Delay(500))
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException or Xunit.Sdk.XunitException)
            {
                last = ex;
            }
        }

        var logs = await Published.RunAsync(Podman, _directory, ["logs", "--tail", "40", MiniccContainer], _environment);
        Assert.Fail($"{what}: not within three minutes ({last?.Message}). MiniCC's log:\n{logs.Output}");
    }

    private Task<string> Run(string file, string[] args, string? input = null, TimeSpan? bound = null)
    {
        output.WriteLine($"$ {Path.GetFileName(file)} {string.Join(' ', args)}");
        return Published.RunToSuccessAsync(file, _directory, args, _environment, input, bound);
    }

    private static FormUrlEncodedContent Incoming(string sid) =>
        new(Call(sid, from: "+819012340000").Select(p => KeyValuePair.Create(p.Item1, p.Item2)));

    /// <summary>The open-files limit this process may not exceed: a container may be given at most that.</summary>
    private static string HardOpenFiles() =>
        File.ReadLines("/proc/self/limits").First(l => l.StartsWith("Max open files", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[4];
}
