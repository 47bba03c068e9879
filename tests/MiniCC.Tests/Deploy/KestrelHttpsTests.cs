using System.Net;
using System.Security.Cryptography.X509Certificates;

namespace MiniCC.Tests.Deploy;

/// <summary>
/// MiniCC serving https itself, without a proxy, with ASP.NET's standard Kestrel settings and a PEM certificate
/// (Kestrel:Endpoints:Https:Url, :Certificate:Path and :KeyPath), as the README's deployment section shows.
/// </summary>
public sealed class KestrelHttpsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("minicc-https-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [SkippableFact]
    public async Task MiniCCServesHttpsWithAPemCertificateAndItsCookiesAreSecure()
    {
        Skip.IfNot(File.Exists(Ops.OpenSsl), "openssl makes the throwaway certificate.");
        var (cert, key) = await Ops.ThrowawayCertificateAsync(_directory);

        using var cli = new Minicc();
        var (http, https) = (Minicc.FreePort(), Minicc.FreePort());
        cli.Environment["Kestrel__Endpoints__Http__Url"] = $"http://127.0.0.1:{http}";
        cli.Environment["Kestrel__Endpoints__Https__Url"] = $"https://127.0.0.1:{https}";
        cli.Environment["Kestrel__Endpoints__Https__Certificate__Path"] = cert;
        cli.Environment["Kestrel__Endpoints__Https__Certificate__KeyPath"] = key;
        await using var server = await cli.StartServerAsync(http);

        using var expected = X509Certificate2.CreateFromPem(File.ReadAllText(cert));
        string? seen = null;
        using var client = new HttpClient(new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            SslOptions = { RemoteCertificateValidationCallback = (_, c, _, _) => (seen = c?.GetCertHashString()) == expected.GetCertHashString() },
        });
        // Kestrel opens its endpoints one after the other: the https one may come a moment after /healthz answered on http.
        HttpResponseMessage? health = null;
        for (var i = 0; i < 100 && health is null; i++)
        {
            try
            {
                health = await client.GetAsync(new Uri($"https://127.0.0.1:{https}/healthz"));
            }
            catch (HttpRequestException) when (i < 99)
            {
                await Task.Delay(100);
            }
        }

        using var _ = health;
        Assert.Equal((HttpStatusCode.OK, expected.GetCertHashString()), (health!.StatusCode, seen));
        // The sign-in form's antiforgery cookie: Secure over https (it was not, before the cookie policy said so).
        using var signIn = await client.GetAsync(new Uri($"https://127.0.0.1:{https}/signin"));
        Assert.All(signIn.Headers.GetValues("Set-Cookie"), c => Assert.Contains("; secure", c, StringComparison.OrdinalIgnoreCase));
    }
}
