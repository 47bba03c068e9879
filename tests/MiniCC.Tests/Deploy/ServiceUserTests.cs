using System.Net;
using System.Text.Json;

namespace MiniCC.Tests.Deploy;

/// <summary>
/// The deployment guide's install, steps 2, 3 and 6, as root does them on a server (runuser for the guide's sudo -u):
/// the published build in a root-owned directory, a system user of its own whose home is the data directory, the
/// settings file root:minicc mode 640. The verbs run as that user reach the database the server then uses; another
/// user cannot read the settings (and MiniCC says which file); the server as that user writes only its data directory.
/// </summary>
public sealed class ServiceUserTests : IAsyncLifetime
{
    private const string Runuser = "/usr/sbin/runuser";
    private const string Adduser = "/usr/sbin/adduser";
    private const string Password = "correct horse battery staple";

    private readonly string _root = Directory.CreateTempSubdirectory("minicc-server-").FullName;
    private readonly string _user = "minicc-t" + Guid.NewGuid().ToString("N")[..8];
    private readonly Minicc _cli = new();
    private readonly int _port = Minicc.FreePort();
    private bool _created;

    private string Install => Path.Combine(_root, "opt", "minicc");

    private string Data => Path.Combine(_root, "var", "lib", "minicc");

    private string Settings => Path.Combine(_root, "etc", "minicc", "minicc.json");

    public async Task InitializeAsync()
    {
        if (Environment.UserName != "root" || !File.Exists(Runuser) || !File.Exists(Adduser))
        {
            return;
        }

        // The temporary directory is the server's "/": others may pass through it, as they may through /.
        await Run("/bin/chmod", "755", _root);
        Directory.CreateDirectory(Path.Combine(_root, "var", "lib"));
        Directory.CreateDirectory(Path.Combine(_root, "opt"));

        // Step 2: the published MiniCC copied to /opt/minicc (root's, read-only to the service), the user.
        await Run("/bin/cp", "-r", await Published.DirectoryAsync() + "/.", Install);
        // As published: PublishedBinaryTests writes its own settings into the shared published directory.
        File.Copy(Path.Combine(Published.ProjectDirectory, "appsettings.json"), Path.Combine(Install, "appsettings.json"), overwrite: true);
        await Run("/bin/chmod", "-R", "go=rX", Install);
        await Run(Adduser, "--system", "--group", "--home", Data, _user);
        _created = true;

        // Step 3: the settings file, readable by root and the group alone.
        Directory.CreateDirectory(Path.GetDirectoryName(Settings)!);
        await File.WriteAllTextAsync(Settings, JsonSerializer.Serialize(new
        {
            Twilio = new { AuthToken = "service-user-test-token" },
            // Plain http on loopback: a client here keeps no Secure cookie for it (the guide's https is nginx's, tested there).
            MiniCC = new { PublicBaseUrl = $"http://127.0.0.1:{_port}", TrustedProxies = new[] { "127.0.0.1" }, DataDirectory = Data },
        }));
        await Run("/bin/chown", "root:" + _user, Settings);
        await Run("/bin/chmod", "640", Settings);
        await Run("/bin/chmod", "755", Path.GetDirectoryName(Settings)!);
    }

    public async Task DisposeAsync()
    {
        _cli.Dispose();
        if (_created)
        {
            await Run("/usr/sbin/userdel", _user);
        }

        Directory.Delete(_root, recursive: true);
    }

    [SkippableFact]
    public async Task TheVerbsAsTheServiceUserOpenTheServersDatabaseAndNoOneElseReadsTheSettings()
    {
        Skip.IfNot(_created, "root, adduser and runuser are needed (the guide's install is root's).");

        // Step 6: the first user and an operator, as the guide types them.
        var added = await AsUser(_user, Password + "\n", "users", "add", "manager", "--password-stdin");
        Assert.True(added.ExitCode == 0, added.Output);
        var operators = await AsUser(_user, null, "operators", "add", "+819012345678", "--name", "Sato");
        Assert.True(operators.ExitCode == 0, operators.Output);
        var db = Path.Combine(Data, "minicc.db");
        Assert.True(File.Exists(db), "the verbs did not use the data directory: " + operators.Output);
        Assert.Equal(_user, await Owner(db));

        // Anyone else: refused by the file's mode, with the file named and no stack trace.
        var other = await AsUser("nobody", null, "operators", "list");
        Assert.Equal(1, other.ExitCode);
        Assert.Contains(Settings, other.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", other.Output, StringComparison.Ordinal);

        // The server as the user: the same database (the manager signs in), nothing written beside the binary.
        var port = _port;
        await using (var server = await _cli.StartServerAsync(port, psi =>
        {
            psi.FileName = Runuser;
            psi.ArgumentList.Clear();
            foreach (var a in UserCommand(_user, "--urls", $"http://127.0.0.1:{port}"))
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment.Remove("ConnectionStrings__MiniCC");
        }))
        {
            using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            using var signedIn = await SignInForm.PostAsync(browser, "manager", Password);
            Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, server.Output);
            Assert.Contains($"SQLite file {db}", server.Output, StringComparison.Ordinal);
        }

        Assert.True(Directory.Exists(Path.Combine(Data, "spool")));
        Assert.Equal(_user, await Owner(Path.Combine(Data, "spool")));
        Assert.Empty(Directory.GetFiles(Install, "*.db*"));
    }

    /// <summary><c>runuser -u USER -- env MINICC_CONFIG=… /opt/minicc/minicc ARGS</c>, in Production, from the server's "/".</summary>
    private string[] UserCommand(string user, params string[] args) =>
    [
        "-u", user, "--", "/usr/bin/env", "-C", _root, "MINICC_CONFIG=" + Settings,
        "ASPNETCORE_ENVIRONMENT=Production", "DOTNET_ENVIRONMENT=Production", Path.Combine(Install, "minicc"), .. args,
    ];

    private Task<(int ExitCode, string Output)> AsUser(string user, string? input, params string[] args) =>
        Published.RunAsync(Runuser, _root, UserCommand(user, args), new Dictionary<string, string>(), input);

    private async Task<string> Owner(string path) => (await Published.RunToSuccessAsync("/usr/bin/stat", _root, ["-c", "%U", path])).Trim();

    private Task Run(string file, params string[] args) => Published.RunToSuccessAsync(file, _root, args);
}
