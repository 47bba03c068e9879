using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace MiniCC.Tests.Deploy;

/// <summary>
/// deploy/systemd/minicc.service as systemd reads it: <c>systemd-analyze verify</c> finds nothing to say, and its
/// hardening rates as exposed as little as systemd's own scale allows a .NET service (the JIT needs writable code).
/// </summary>
public sealed class SystemdUnitTests : IDisposable
{
    private const string Analyze = "/usr/bin/systemd-analyze";

    private readonly string _directory = Directory.CreateTempSubdirectory("minicc-unit-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>The unit as shipped, with ExecStart on this build's minicc (verify checks that the command exists).</summary>
    private string Unit()
    {
        var shipped = File.ReadAllText(Path.Combine(MiniCC.Tests.Settings.SettingsListTests.RepositoryRoot(), "deploy", "systemd", "minicc.service"));
        Assert.Contains("ExecStart=/opt/minicc/minicc serve\n", shipped, StringComparison.Ordinal);
        var path = Path.Combine(_directory, "minicc.service");
        File.WriteAllText(path, shipped.Replace("/opt/minicc/minicc serve", Path.Combine(AppContext.BaseDirectory, "minicc") + " serve", StringComparison.Ordinal));
        return path;
    }

    private static async Task<(int Code, string Out, string Err)> RunAsync(params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(Analyze, args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(bound.Token);
        return (process.ExitCode, await stdout, await stderr);
    }

    [SkippableFact]
    public async Task TheUnitVerifiesWithoutAWordAndIsHardened()
    {
        Skip.IfNot(File.Exists(Analyze), $"{Analyze} is not installed (the systemd package).");
        var unit = Unit();
        var text = File.ReadAllText(unit);
        foreach (var directive in new[] { "User=minicc", "StateDirectory=minicc", "ProtectSystem=strict", "NoNewPrivileges=yes", "KillSignal=SIGTERM", "Type=notify" })
        {
            Assert.Contains(directive + "\n", text, StringComparison.Ordinal);
        }

        // verify exits 0 even for an unknown key; what it says on standard error is the finding.
        var verify = await RunAsync("verify", unit);
        Assert.Equal((0, ""), (verify.Code, verify.Err.Trim()));

        // systemd's own exposure scale (0 best, 10 worst): at most 2.0.
        var security = await RunAsync("security", "--offline=yes", "--threshold=20", unit);
        Assert.True(security.Code == 0, security.Out + security.Err);
        Assert.Matches(@"Overall exposure level for minicc\.service: [01]\.\d", security.Out);
    }

    /// <summary>
    /// Type=notify: systemd waits for READY=1 on the socket it names in NOTIFY_SOCKET before it counts the service as
    /// started (and kills one that never says it), and reads STOPPING=1 when it stops it. .NET takes a process whose
    /// parent is named "systemd" for a service; here that parent is a shell of that name, and the socket is the test's.
    /// </summary>
    [SkippableFact]
    public async Task UnderSystemdMiniCCSaysWhenItIsReadyAndWhenItIsStopping()
    {
        Skip.IfNot(File.Exists("/bin/bash") && File.Exists("/bin/kill"), "bash and kill are needed to stand in for systemd.");
        var path = Path.Combine(_directory, "notify");
        using var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        socket.Bind(new UnixDomainSocketEndPoint(path));
        var systemd = Path.Combine(_directory, "systemd");
        File.CreateSymbolicLink(systemd, "/bin/bash");
        using var cli = new Minicc();
        var server = await cli.StartServerAsync(Minicc.FreePort(), psi =>
        {
            string[] command = [psi.FileName, .. psi.ArgumentList];
            psi.FileName = systemd;
            psi.ArgumentList.Clear();
            // Not exec'd (the "; exit"), so that the shell named systemd stays MiniCC's parent.
            foreach (var a in (string[])["-c", "\"$0\" \"$@\"; exit $?", .. command])
            {
                psi.ArgumentList.Add(a);
            }

            psi.Environment["NOTIFY_SOCKET"] = path;
        });
        await using (server)
        {
            Assert.Contains("READY=1", await ReceiveAsync(socket), StringComparison.Ordinal);
            var minicc = int.Parse(File.ReadAllText($"/proc/{server.Process.Id}/task/{server.Process.Id}/children").Trim(), System.Globalization.CultureInfo.InvariantCulture);
            await Ops.SigtermAsync(minicc);
            Assert.Contains("STOPPING=1", await ReceiveAsync(socket), StringComparison.Ordinal);
            using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.Process.WaitForExitAsync(bound.Token);
            Assert.Equal(0, server.Process.ExitCode);
        }
    }

    private static async Task<string> ReceiveAsync(Socket socket)
    {
        var buffer = new byte[1024];
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var n = await socket.ReceiveAsync(buffer, SocketFlags.None, bound.Token);
        return Encoding.UTF8.GetString(buffer, 0, n);
    }

    [SkippableFact]
    public async Task TheNightlyBackupsTimerAndServiceVerifyWithoutAWord()
    {
        Skip.IfNot(File.Exists(Analyze), $"{Analyze} is not installed (the systemd package).");
        var shipped = Path.Combine(MiniCC.Tests.Settings.SettingsListTests.RepositoryRoot(), "deploy", "systemd");
        foreach (var name in new[] { "minicc-backup.service", "minicc-backup.timer" })
        {
            File.Copy(Path.Combine(shipped, name), Path.Combine(_directory, name));
        }

        var verify = await RunAsync("verify", Path.Combine(_directory, "minicc-backup.timer"), Path.Combine(_directory, "minicc-backup.service"));
        Assert.Equal((0, ""), (verify.Code, verify.Err.Trim()));
        Assert.Contains("minicc backup --force", File.ReadAllText(Path.Combine(_directory, "minicc-backup.service")), StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AMistypedDirectiveIsFound()
    {
        Skip.IfNot(File.Exists(Analyze), $"{Analyze} is not installed (the systemd package).");
        var unit = Unit();
        File.WriteAllText(unit, File.ReadAllText(unit).Replace("ProtectHome=yes", "ProtectHom=yes", StringComparison.Ordinal));
        var verify = await RunAsync("verify", unit);
        Assert.Contains("Unknown key 'ProtectHom'", verify.Err, StringComparison.Ordinal);
    }
}
