using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Twilio.Security;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Security;

/// <summary>Webhooks answer only Twilio: signatures, Basic auth, and both together.</summary>
public sealed class SecurityTests
{
    private static FormUrlEncodedContent Form(params (string, string)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Item1, f.Item2)));

    private static async Task<HttpResponseMessage> SendAsync(MiniCCFactory app, string path, string? signature,
        (string, string)[] form, AuthenticationHeaderValue? auth = null, Action<HttpRequestMessage>? tweak = null)
    {
        using var client = app.CreateClient();
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = Form(form) };
        if (signature is not null)
        {
            request.Headers.Add(RequestSignature.HeaderName, signature);
        }

        request.Headers.Authorization = auth;
        tweak?.Invoke(request);
        return await client.SendAsync(request);
    }

    private static string Sign(string url, (string, string)[] form, string token = MiniCCFactory.AuthToken) =>
        RequestSignature.Compute(token, url, form.Select(f => KeyValuePair.Create(f.Item1, f.Item2)));

    [Fact]
    public async Task ASignedWebhookIsAnswered()
    {
        using var app = new MiniCCFactory();
        var form = Call(NewCallSid());
        using var response = await SendAsync(app, "/voice/incoming", Sign("http://localhost/voice/incoming", form), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData(null, "X-Twilio-Signature is missing.")]
    [InlineData("", "X-Twilio-Signature is missing.")]
    [InlineData("bm90IGEgc2lnbmF0dXJl", "does not match")]
    public async Task AMissingOrWrongSignatureIsForbiddenAndNothingIsRecorded(string? signature, string reason)
    {
        using var app = new MiniCCFactory();
        using var response = await SendAsync(app, "/voice/status", signature, Call(NewCallSid(), status: "completed"));
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains(reason, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(await app.History.EventsAsync(default));
    }

    [Fact]
    public async Task ASignatureReplayedOnAnotherUrlOrWithChangedParametersIsForbidden()
    {
        using var app = new MiniCCFactory();
        var form = Call(NewCallSid(), extra: ("Digits", "2"));
        var signedForMenu = Sign("http://localhost/voice/menu", form);

        using var otherUrl = await SendAsync(app, "/voice/status", signedForMenu, form);
        Assert.Equal(HttpStatusCode.Forbidden, otherUrl.StatusCode);

        var tampered = form.Select(f => f.Item1 == "Digits" ? ("Digits", "1") : f).ToArray();
        using var otherDigits = await SendAsync(app, "/voice/menu", signedForMenu, tampered);
        Assert.Equal(HttpStatusCode.Forbidden, otherDigits.StatusCode);

        using var otherToken = await SendAsync(app, "/voice/menu", Sign("http://localhost/voice/menu", form, "another-token"), form);
        Assert.Equal(HttpStatusCode.Forbidden, otherToken.StatusCode);
        Assert.Empty(await app.History.EventsAsync(default));
    }

    [Fact]
    public async Task TheDefaultPortVariantIsAccepted()
    {
        using var app = new MiniCCFactory();
        var form = Call(NewCallSid());
        using var response = await SendAsync(app, "/voice/incoming", Sign("http://localhost:80/voice/incoming", form), form);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task AGetIsSignedOverItsFullUrlWithTheQuery()
    {
        using var app = new MiniCCFactory();
        using var client = app.CreateClient();
        var query = "CallSid=" + NewCallSid() + "&From=%2B819011112222&Digits=1";
        var request = new HttpRequestMessage(HttpMethod.Get, "/voice/menu?" + query);
        request.Headers.Add(RequestSignature.HeaderName, RequestSignature.Compute(MiniCCFactory.AuthToken, "http://localhost/voice/menu?" + query, null));
        using var ok = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        var tampered = new HttpRequestMessage(HttpMethod.Get, "/voice/menu?" + query.Replace("Digits=1", "Digits=2", StringComparison.Ordinal));
        tampered.Headers.Add(RequestSignature.HeaderName, RequestSignature.Compute(MiniCCFactory.AuthToken, "http://localhost/voice/menu?" + query, null));
        using var forbidden = await client.SendAsync(tampered);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task BehindAProxyThePublicBaseUrlIsWhatIsSigned()
    {
        using var app = new MiniCCFactory(new() { ["MiniCC:PublicBaseUrl"] = "https://cc.example.com" });
        var form = Call(NewCallSid());
        using var internalUrl = await SendAsync(app, "/voice/incoming", Sign("http://localhost/voice/incoming", form), form);
        Assert.Equal(HttpStatusCode.Forbidden, internalUrl.StatusCode);
        using var publicUrl = await SendAsync(app, "/voice/incoming", Sign("https://cc.example.com/voice/incoming", form), form);
        Assert.Equal(HttpStatusCode.OK, publicUrl.StatusCode);
    }

    [Fact]
    public async Task ForwardedHeadersAreBelievedOnlyFromTrustedProxies()
    {
        using var app = new RemoteAddressFactory(new() { ["MiniCC:TrustedProxies:0"] = "10.0.0.5" });
        var form = Call(NewCallSid());
        var publicSignature = Sign("https://cc.example.com/voice/incoming", form);
        void Forwarded(HttpRequestMessage r, string from)
        {
            r.Headers.Add("X-Test-Remote", from);
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-Host", "cc.example.com");
            r.Headers.Add("X-Forwarded-For", "203.0.113.7");
        }

        using var trusted = await SendAsync(app, "/voice/incoming", publicSignature, form, tweak: r => Forwarded(r, "10.0.0.5"));
        Assert.Equal(HttpStatusCode.OK, trusted.StatusCode);
        using var untrusted = await SendAsync(app, "/voice/incoming", publicSignature, form, tweak: r => Forwarded(r, "10.0.0.6"));
        Assert.Equal(HttpStatusCode.Forbidden, untrusted.StatusCode);
    }

    [Theory]
    [InlineData("10.89.0.1", HttpStatusCode.OK)]
    [InlineData("::ffff:10.89.200.1", HttpStatusCode.OK)] // how Kestrel on [::] sees an IPv4 client, a container network's gateway
    [InlineData("10.90.0.1", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.1", HttpStatusCode.Forbidden)]
    public async Task ForwardedHeadersAreBelievedFromATrustedNetwork(string from, HttpStatusCode expected)
    {
        using var app = new RemoteAddressFactory(new() { ["MiniCC:TrustedProxies:0"] = "10.89.0.0/16" });
        var form = Call(NewCallSid());
        using var response = await SendAsync(app, "/voice/incoming", Sign("https://cc.example.com/voice/incoming", form), form, tweak: r =>
        {
            r.Headers.Add("X-Test-Remote", from);
            r.Headers.Add("X-Forwarded-Proto", "https");
            r.Headers.Add("X-Forwarded-Host", "cc.example.com");
            r.Headers.Add("X-Forwarded-For", "203.0.113.7");
        });
        Assert.Equal(expected, response.StatusCode);
    }

    private static AuthenticationHeaderValue Basic(string user, string pass) =>
        new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{pass}")));

    [Fact]
    public async Task BasicAuthChallengesFirstThenAcceptsTheRightCredentials()
    {
        using var app = new MiniCCFactory(new()
        {
            ["Twilio:AuthToken"] = "",
            ["MiniCC:BasicAuth:Username"] = "twilio",
            ["MiniCC:BasicAuth:Password"] = "s3cret pass",
        });
        var form = Call(NewCallSid());

        using var challenge = await SendAsync(app, "/voice/incoming", null, form);
        Assert.Equal(HttpStatusCode.Unauthorized, challenge.StatusCode);
        Assert.Equal("Basic", challenge.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("realm=\"MiniCC\"", challenge.Headers.WwwAuthenticate.Single().Parameter);

        using var wrong = await SendAsync(app, "/voice/incoming", null, form, Basic("twilio", "guess"));
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var garbage = await SendAsync(app, "/voice/incoming", null, form, new AuthenticationHeaderValue("Basic", "%%%"));
        Assert.Equal(HttpStatusCode.Unauthorized, garbage.StatusCode);
        Assert.Empty(await app.History.EventsAsync(default));

        using var right = await SendAsync(app, "/voice/incoming", null, form, Basic("twilio", "s3cret pass"));
        Assert.Equal(HttpStatusCode.OK, right.StatusCode);
    }

    [Fact]
    public async Task WithBothConfiguredBothAreRequired()
    {
        using var app = new MiniCCFactory(new()
        {
            ["MiniCC:BasicAuth:Username"] = "twilio",
            ["MiniCC:BasicAuth:Password"] = "pw",
        });
        var form = Call(NewCallSid());
        var signature = Sign("http://localhost/voice/incoming", form);

        using var signatureOnly = await SendAsync(app, "/voice/incoming", signature, form);
        Assert.Equal(HttpStatusCode.Unauthorized, signatureOnly.StatusCode);
        using var basicOnly = await SendAsync(app, "/voice/incoming", null, form, Basic("twilio", "pw"));
        Assert.Equal(HttpStatusCode.Forbidden, basicOnly.StatusCode);
        using var both = await SendAsync(app, "/voice/incoming", signature, form, Basic("twilio", "pw"));
        Assert.Equal(HttpStatusCode.OK, both.StatusCode);
        // Twilio's libraries sign the URL with the credentials in it; that is accepted too.
        using var withCredentials = await SendAsync(app, "/voice/incoming", Sign("http://twilio:pw@localhost/voice/incoming", form), form, Basic("twilio", "pw"));
        Assert.Equal(HttpStatusCode.OK, withCredentials.StatusCode);
    }

    [Fact]
    public async Task TheAuthTokenNeverAppearsInTheLogs()
    {
        using var app = new MiniCCFactory();
        var form = Call(NewCallSid());
        using var _ = await SendAsync(app, "/voice/incoming", "wrong", form);
        using var __ = await app.PostAsync("/voice/incoming", form);
        Assert.NotEmpty(app.Logs.Lines);
        Assert.DoesNotContain(app.Logs.Lines, l => l.Contains(MiniCCFactory.AuthToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task FormNamesThatDifferOnlyInCaseAreSignedAndKeptAsTwoParameters()
    {
        using var app = new MiniCCFactory();
        var sid = NewCallSid();
        var other = NewCallSid();

        // Signed by the client as Twilio signs: every pair, names compared ordinally.
        using var response = await app.PostAsync("/voice/incoming", [.. Call(sid), ("Foo", "upper"), ("foo", "lower"), ("callsid", other)]);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var recorded = Assert.Single(await app.History.EventsAsync(default));
        Assert.Equal(sid, recorded.CallSid);
        var parameters = System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, string>>(recorded.Params)!;
        Assert.Equal("upper", parameters["Foo"]);
        Assert.Equal("lower", parameters["foo"]);
        Assert.Equal(other, parameters["callsid"]);
        Assert.Equal(sid, parameters["CallSid"]);
    }

    public static TheoryData<string, string> RawTargets() => new()
    {
        { "", "http://{authority}" },
        { "MiniCC:PublicBaseUrl=https://cc.example.com", "https://cc.example.com" },
        { "MiniCC:TrustedProxies:0=127.0.0.1", "https://cc.example.com" },
    };

    [Theory]
    [MemberData(nameof(RawTargets))]
    public async Task APercentEncodedPathIsVerifiedAsTwilioRequestedItAndStillRoutes(string setting, string signedBase)
    {
        var settings = new Dictionary<string, string?>();
        if (setting.Length > 0)
        {
            settings[setting[..setting.IndexOf('=', StringComparison.Ordinal)]] = setting[(setting.IndexOf('=', StringComparison.Ordinal) + 1)..];
        }

        // A real socket: HttpClient over TestServer, like Uri itself, turns %69 back into "i" before MiniCC sees it.
        using var app = new MiniCCFactory(settings);
        app.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        app.StartServer();
        var address = new Uri(app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First());
        const string target = "/voice/%69ncoming?src=%41%7e";
        var requested = new Uri(address, "/").AbsoluteUri.TrimEnd('/') + target;
        var uri = new Uri(requested, new UriCreationOptions { DangerousDisablePathAndQueryCanonicalization = true });
        Assert.Equal(target, uri.PathAndQuery);

        var form = Call(NewCallSid());
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = Form(form) };
        request.Headers.Add(RequestSignature.HeaderName, Sign(signedBase.Replace("{authority}", address.Authority, StringComparison.Ordinal) + target, form));
        request.Headers.Add("X-Forwarded-Proto", "https");
        request.Headers.Add("X-Forwarded-Host", "cc.example.com");
        using var response = await http.SendAsync(request);

        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
        Assert.EndsWith("/voice/menu", System.Xml.Linq.XDocument.Parse(body).Root!.Element("Gather")!.Attribute("action")!.Value, StringComparison.Ordinal);
    }
}
