using System.Net;
using System.Text;
using MiniCC.Emulator;

namespace MiniCC.Tests.Emulator;

/// <summary>A fake app for the emulator's own tests: canned answers per path, and every request it got.</summary>
internal sealed class FakeApp : HttpMessageHandler
{
    public Dictionary<string, Func<HttpRequestMessage, HttpResponseMessage>> Routes { get; } = [];

    public List<(HttpRequestMessage Request, Dictionary<string, string> Form)> Requests { get; } = [];

    public IEnumerable<string> Paths => Requests.Select(r => r.Request.RequestUri!.AbsolutePath);

    /// <summary>An emulator in front of a fake app at https://cc.example.com/ with <paramref name="routes"/>.</summary>
    public static (TwilioEmulator Twilio, FakeApp App) EmulatorFor(Action<FakeApp> routes, EmulatorOptions? options = null)
    {
        var app = new FakeApp();
        routes(app);
        var http = new HttpClient(app) { BaseAddress = new Uri("https://cc.example.com/") };
        return (new TwilioEmulator(http, options ?? new EmulatorOptions { StatusCallbackUrl = "/status" }), app);
    }

    /// <summary>The numbers <see cref="Incoming"/> treats as operators' (+81909990000, …).</summary>
    public const string OperatorPrefix = "+8190999";

    public FakeApp Twiml(string path, string twiml) => On(path, _ => Xml(twiml));

    /// <summary>/voice/incoming answers an operator (<see cref="OperatorPrefix"/>) <paramref name="operatorTwiml"/>, anyone else <paramref name="customerTwiml"/>.</summary>
    public FakeApp Incoming(string operatorTwiml, string customerTwiml) => On("/voice/incoming", r =>
        Xml(r.Content!.ReadAsStringAsync().Result.Contains("From=" + Uri.EscapeDataString(OperatorPrefix), StringComparison.Ordinal) ? operatorTwiml : customerTwiml));

    public FakeApp On(string path, Func<HttpRequestMessage, HttpResponseMessage> respond)
    {
        Routes[path] = respond;
        return this;
    }

    public static HttpResponseMessage Xml(string twiml) => Answer($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response>{twiml}</Response>", "application/xml");

    public static HttpResponseMessage Answer(string body, string? type, HttpStatusCode status = HttpStatusCode.OK)
    {
        var r = new HttpResponseMessage(status) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (type is not null)
        {
            r.Content.Headers.ContentType = new(type);
        }

        return r;
    }

    /// <summary>The form (or query) of every request to <paramref name="path"/>, in order.</summary>
    public IEnumerable<Dictionary<string, string>> FormsTo(string path) =>
        Requests.Where(r => r.Request.RequestUri!.AbsolutePath == path).Select(r => r.Form);

    /// <summary>The form of a POST Twilio sent (for a route that answers by what it was told).</summary>
    public static Dictionary<string, string> Form(HttpRequestMessage request) => Parse(request.Content!.ReadAsStringAsync().Result);

    private static Dictionary<string, string> Parse(string raw)
    {
        var form = new Dictionary<string, string>();
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            form[Uri.UnescapeDataString(kv[0])] = Uri.UnescapeDataString(kv.Length > 1 ? kv[1].Replace('+', ' ') : "");
        }

        return form;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var raw = request.Content is null ? request.RequestUri!.Query.TrimStart('?') : await request.Content.ReadAsStringAsync(cancellationToken);
        Requests.Add((request, Parse(raw)));
        return Routes.TryGetValue(request.RequestUri!.AbsolutePath, out var respond)
            ? respond(request)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent("", Encoding.UTF8, "application/xml") };
    }
}
