using System.Net;
using System.Text;
using MiniCC.Voice;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Voice;

/// <summary>Requests that are not Twilio webhooks get a 4xx with a reason, never a 500, and record nothing.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly MiniCCFactory _app = new();

    public void Dispose() => _app.Dispose();

    public static TheoryData<string> Paths() => [.. VoiceRoutes.All];

    private async Task AssertRejected(HttpResponseMessage response, HttpStatusCode status, string reason)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(reason, body, StringComparison.Ordinal);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Empty(await _app.History.EventsAsync(default));
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AMissingCallSidIsABadRequest(string path)
    {
        using var response = await _app.PostAsync(path, ("From", Customer), ("Digits", "1"));
        await AssertRejected(response, HttpStatusCode.BadRequest, "CallSid is missing");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AMalformedCallSidIsABadRequest(string path)
    {
        using var response = await _app.PostAsync(path, ("CallSid", "CA'; DROP TABLE calls; --"));
        await AssertRejected(response, HttpStatusCode.BadRequest, "CallSid is not a Twilio call SID");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task ABodyThatIsNotFormDataIsRefused(string path)
    {
        using var client = _app.CreateClient();
        using var content = new StringContent("{\"CallSid\":\"CA0123456789abcdef0123456789abcdef\"}", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        await AssertRejected(response, HttpStatusCode.UnsupportedMediaType, "application/x-www-form-urlencoded");
    }

    [Theory]
    [MemberData(nameof(Paths))]
    public async Task AnOversizedBodyIsRefused(string path)
    {
        using var client = _app.CreateClient();
        var body = "CallSid=" + NewCallSid() + "&Junk=" + new string('x', 200_000);
        using var content = new StringContent(body, Encoding.UTF8, "application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri(path, UriKind.Relative), content);
        await AssertRejected(response, HttpStatusCode.RequestEntityTooLarge, "larger than");
    }

    [Fact]
    public async Task AnOversizedChunkedBodyIsRefusedToo()
    {
        using var client = _app.CreateClient();
        var body = Encoding.UTF8.GetBytes("CallSid=" + NewCallSid() + "&Junk=" + new string('x', 200_000));
        using var content = new StreamContent(new MemoryStream(body));
        content.Headers.ContentType = new("application/x-www-form-urlencoded");
        using var response = await client.PostAsync(new Uri("/voice/status", UriKind.Relative), content);
        Assert.InRange((int)response.StatusCode, 400, 499);
        Assert.Empty(await _app.History.EventsAsync(default));
    }

    [Fact]
    public async Task ARepeatedParameterIsABadRequest()
    {
        using var response = await _app.PostAsync("/voice/menu", [.. Call(NewCallSid()), ("Digits", "1"), ("Digits", "2")]);
        await AssertRejected(response, HttpStatusCode.BadRequest, "appears more than once");
    }

    [Fact]
    public async Task AnOverlongParameterIsABadRequest()
    {
        using var response = await _app.PostAsync("/voice/incoming", Call(NewCallSid(), from: new string('9', 3000)));
        await AssertRejected(response, HttpStatusCode.BadRequest, "longer than");
    }

    [Fact]
    public async Task MalformedNumbersAreIgnoredButTheCallIsAnswered()
    {
        var root = await _app.TwimlAsync("/voice/whisper", Call(NewCallSid(), extra:
            [("QueueSid", QueueSid), ("QueueTime", "12abc"), ("DequeingCallSid", "nonsense")]));
        Assert.Equal("Say", Assert.Single(root.Elements()).Name.LocalName);
        var visit = Assert.Single(await _app.History.QueueVisitsAsync(default));
        Assert.Null(visit.WaitSeconds);
        Assert.Null(visit.OperatorCallSid);
        Assert.Contains(_app.Logs.Lines, l => l.Contains("QueueTime, DequeingCallSid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task UnknownParametersAreIgnored()
    {
        var root = await _app.TwimlAsync("/voice/menu", [.. Call(NewCallSid()), ("Digits", "1"), ("StirVerstat", "TN-Validation-Passed-A"), ("Foo", "<bar>")]);
        Assert.Equal("Enqueue", Verbs(root)[^1]);
    }

    [Fact]
    public async Task AnUnsupportedMethodIsNotAllowed()
    {
        using var client = _app.CreateClient();
        using var response = await client.DeleteAsync(new Uri("/voice/incoming", UriKind.Relative));
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
    }
}
