using System.Buffers.Text;
using System.Text;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using MiniCC.Twilio.Tokens;

namespace MiniCC.Twilio.Tests;

/// <summary>Access tokens as the fact sheet (§5) and Twilio's libraries describe them, checked by an independent JWT library.</summary>
public sealed class AccessTokenTests
{
    private const string Account = "AC00000000000000000000000000000000";
    private const string Key = "SK00000000000000000000000000000000";
    private const string App = "AP00000000000000000000000000000000";
    private const string LongSecret = "an-api-key-secret-of-at-least-32-bytes";
    private static readonly DateTimeOffset Now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static JsonElement Part(string token, int index) =>
        JsonDocument.Parse(Base64Url.DecodeFromChars(token.Split('.')[index])).RootElement;

    [Fact]
    public void TheFactSheetsVectorIsReproducedByteForByte()
    {
        var token = AccessToken.Create(Account, Key, "test_api_key_secret", "operator_1", new VoiceGrant(true, App), Now, AccessToken.DefaultTtl);
        Assert.Equal(
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCIsImN0eSI6InR3aWxpby1mcGE7dj0xIn0." +
            "eyJqdGkiOiJTSzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwLTE3MDAwMDAwMDAiLCJpc3MiOiJTSzAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIiwic3ViIjoiQUMwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMCIsIm5iZiI6MTcwMDAwMDAwMCwiZXhwIjoxNzAwMDAzNjAwLCJncmFudHMiOnsiaWRlbnRpdHkiOiJvcGVyYXRvcl8xIiwidm9pY2UiOnsiaW5jb21pbmciOnsiYWxsb3ciOnRydWV9LCJvdXRnb2luZyI6eyJhcHBsaWNhdGlvbl9zaWQiOiJBUDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDAwIn19fX0." +
            "yUn86n3SowPj3cDObpgvN8xY0_gTBIZNNppIHw4F8qo",
            token);
    }

    [Fact]
    public async Task AnIndependentJwtLibraryAcceptsTheTokenAndReadsTwiliosClaims()
    {
        var now = DateTimeOffset.UtcNow;
        var token = AccessToken.Create(Account, Key, LongSecret, "operator_7", new VoiceGrant(true, App), now, TimeSpan.FromMinutes(10));
        var result = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(LongSecret)),
            ValidIssuer = Key,
            ValidateAudience = false,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        });
        Assert.True(result.IsValid, result.Exception?.Message);
        var jwt = (JsonWebToken)result.SecurityToken;
        Assert.Equal(("HS256", "JWT", "twilio-fpa;v=1"), (jwt.Alg, jwt.Typ, jwt.Cty));
        Assert.Equal(Account, jwt.Subject);
        Assert.Equal($"{Key}-{now.ToUnixTimeSeconds()}", jwt.Id);
        Assert.Equal(600, (jwt.ValidTo - jwt.ValidFrom).TotalSeconds);

        // The same token signed with another secret (the Auth Token, say) is refused.
        var wrong = await new JsonWebTokenHandler().ValidateTokenAsync(token, new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes("not-the-api-key-secret-but-32-bytes!")),
            ValidIssuer = Key,
            ValidateAudience = false,
        });
        Assert.False(wrong.IsValid);
    }

    [Fact]
    public void TheVoiceGrantCarriesOnlyWhatWasGranted()
    {
        var full = Part(AccessToken.Create(Account, Key, LongSecret, "op", new VoiceGrant(true, App, new Dictionary<string, string> { ["desk"] = "1" }), Now, AccessToken.DefaultTtl), 1);
        var voice = full.GetProperty("grants").GetProperty("voice");
        Assert.True(voice.GetProperty("incoming").GetProperty("allow").GetBoolean());
        Assert.Equal(App, voice.GetProperty("outgoing").GetProperty("application_sid").GetString());
        Assert.Equal("1", voice.GetProperty("outgoing").GetProperty("params").GetProperty("desk").GetString());
        Assert.Equal("op", full.GetProperty("grants").GetProperty("identity").GetString());
        Assert.Equal(3600, full.GetProperty("exp").GetInt64() - full.GetProperty("nbf").GetInt64());

        var listenOnly = Part(AccessToken.Create(Account, Key, LongSecret, "op", new VoiceGrant(true, null), Now, AccessToken.DefaultTtl), 1)
            .GetProperty("grants").GetProperty("voice");
        Assert.False(listenOnly.TryGetProperty("outgoing", out _));
        var callOnly = Part(AccessToken.Create(Account, Key, LongSecret, "op", new VoiceGrant(false, App), Now, AccessToken.DefaultTtl), 1)
            .GetProperty("grants").GetProperty("voice");
        Assert.False(callOnly.TryGetProperty("incoming", out _));
        Assert.False(callOnly.GetProperty("outgoing").TryGetProperty("params", out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(86_401)]
    public void ALifetimeOutsideOneSecondToTwentyFourHoursIsRefused(int seconds) =>
        Assert.Throws<ArgumentException>(() => AccessToken.Create(Account, Key, LongSecret, "op", new VoiceGrant(true, App), Now, TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void TwentyFourHoursIsTheLongestLifetime() =>
        Assert.Equal(86_400, Part(AccessToken.Create(Account, Key, LongSecret, "op", new VoiceGrant(true, App), Now, AccessToken.MaxTtl), 1).GetProperty("exp").GetInt64() - Now.ToUnixTimeSeconds());

    [Theory]
    [InlineData("")]
    [InlineData("operator-1")]
    [InlineData("operator@example.com")]
    [InlineData("オペレーター")]
    [InlineData("op 1")]
    public void AnIdentityOutsideTheSdksRulesIsRefused(string identity)
    {
        Assert.NotNull(AccessToken.IdentityProblem(identity));
        Assert.Throws<ArgumentException>(() => AccessToken.Create(Account, Key, LongSecret, identity, new VoiceGrant(true, App), Now, AccessToken.DefaultTtl));
    }

    [Fact]
    public void AnIdentityMayBe121CharactersAndNoMore()
    {
        Assert.Null(AccessToken.IdentityProblem(new string('a', 121)));
        Assert.NotNull(AccessToken.IdentityProblem(new string('a', 122)));
        Assert.Null(AccessToken.IdentityProblem("Operator_09"));
    }

    [Theory]
    [InlineData("AC0000000000000000000000000000000", Key, App)]
    [InlineData(Account, "AC00000000000000000000000000000000", App)]
    [InlineData(Account, Key, "PN00000000000000000000000000000000")]
    public void MalformedSidsAreRefused(string account, string key, string app) =>
        Assert.Throws<ArgumentException>(() => AccessToken.Create(account, key, LongSecret, "op", new VoiceGrant(true, app), Now, AccessToken.DefaultTtl));
}
