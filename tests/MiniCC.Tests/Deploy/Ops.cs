using System.Diagnostics;
using System.Globalization;

namespace MiniCC.Tests.Deploy;

/// <summary>What an administrator does by hand in the deployment tests: a throwaway certificate, a service manager's stop.</summary>
internal static class Ops
{
    public const string OpenSsl = "/usr/bin/openssl";

    /// <summary>A self-signed certificate for 127.0.0.1, valid one day, as PEM files in <paramref name="directory"/>.</summary>
    public static async Task<(string Certificate, string Key)> ThrowawayCertificateAsync(string directory)
    {
        var (cert, key) = (Path.Combine(directory, "cert.pem"), Path.Combine(directory, "key.pem"));
        await Published.RunToSuccessAsync(OpenSsl, directory, ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
            "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert], bound: TimeSpan.FromSeconds(60));
        return (cert, key);
    }

    /// <summary>SIGTERM to <paramref name="pid"/>, as systemd's stop sends it (through /bin/kill).</summary>
    public static async Task SigtermAsync(int pid)
    {
        using var kill = Process.Start("/bin/kill", ["-TERM", pid.ToString(CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
        Assert.Equal(0, kill.ExitCode);
    }
}
