using System.Net;
using System.Reflection;
using Microsoft.Extensions.Configuration.UserSecrets;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Security;

/// <summary>
/// A developer keeps the auth token out of files with <c>dotnet user-secrets set Twilio:AuthToken … --project src/MiniCC</c>,
/// as the README says: minicc (Development) reads it. It did not while the project had no UserSecretsId.
/// </summary>
public sealed class UserSecretsTests : IDisposable
{
    private const string Token = "token-from-user-secrets";

    private readonly string _home = Directory.CreateTempSubdirectory("minicc-home-").FullName;

    public void Dispose() => Directory.Delete(_home, recursive: true);

    [Fact]
    public async Task TheAuthTokenSetWithUserSecretsSignsTheWebhooks()
    {
        // Where `dotnet user-secrets set` writes, under this test's HOME.
        var id = typeof(Program).Assembly.GetCustomAttribute<UserSecretsIdAttribute>()?.UserSecretsId;
        Assert.NotNull(id);
        var secrets = Path.Combine(_home, ".microsoft", "usersecrets", id);
        Directory.CreateDirectory(secrets);
        File.WriteAllText(Path.Combine(secrets, "secrets.json"), $$"""{ "Twilio:AuthToken": "{{Token}}" }""");

        using var cli = new Minicc();
        var port = Minicc.FreePort();
        await using var server = await cli.StartServerAsync(port, psi => psi.Environment["HOME"] = _home);
        var form = Call(NewCallSid()).Select(p => KeyValuePair.Create(p.Item1, p.Item2));
        using var signed = new HttpClient(new SigningHandler(Token) { InnerHandler = new SocketsHttpHandler() });
        using var answered = await signed.PostAsync(new Uri($"http://127.0.0.1:{port}/voice/incoming"), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        using var other = new HttpClient(new SigningHandler("another-token") { InnerHandler = new SocketsHttpHandler() });
        using var refused = await other.PostAsync(new Uri($"http://127.0.0.1:{port}/voice/incoming"), new FormUrlEncodedContent(form));
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }
}
