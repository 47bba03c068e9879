using System.Xml.Linq;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using MiniCC.Operators;
using MiniCC.Storage;

namespace MiniCC.Tests;

/// <summary>The app over HTTP with a fresh SQLite file and a clock the test drives.</summary>
public class MiniCCFactory : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 24, 1, 0, 0, TimeSpan.Zero);

    /// <summary><see cref="Start"/> as the history stores times: Unix milliseconds.</summary>
    public static readonly long StartMs = Start.ToUnixTimeMilliseconds();

    private readonly Dictionary<string, string?> _settings;
    private readonly TimeProvider? _time;

    public MiniCCFactory(Dictionary<string, string?>? settings = null)
        : this("sqlite", settings)
    {
    }

    /// <summary>The app on a fresh database of <paramref name="provider"/> (skips when that server is not configured).</summary>
    public MiniCCFactory(string provider, Dictionary<string, string?>? settings = null, TimeProvider? time = null)
    {
        _time = time;
        try
        {
            TestDatabase = TestDatabase.Create(provider);
        }
        catch
        {
            // Skipped (server not configured) or failed: there is nothing for the finalizer to clean up.
            GC.SuppressFinalize(this);
            throw;
        }

        _settings = new Dictionary<string, string?>
        {
            ["Database:Provider"] = provider,
            ["ConnectionStrings:MiniCC"] = TestDatabase.ConnectionString,
            ["Twilio:AuthToken"] = AuthToken,
            ["MiniCC:SpoolDirectory"] = SpoolDirectory,
            ["MiniCC:SpoolReplaySeconds"] = "0.1",
            // Voicemail is on by default, and with it the queue's "press # for a message" and the no-operator choice:
            // the original's flows are tested as they were, and the voicemail's tests turn it on (Voicemails.On).
            ["MiniCC:Voicemail:Enabled"] = "false",
        };
        foreach (var (k, v) in settings ?? [])
        {
            _settings[k] = v;
        }
    }

    /// <summary>Every test app checks Twilio signatures, and the test client really signs every webhook.</summary>
    public const string AuthToken = "test-auth-token-0123456789abcdef";

    public TestDatabase TestDatabase { get; }

    public string SpoolDirectory { get; } = Path.Combine(Path.GetTempPath(), "minicc-spool-" + Guid.NewGuid().ToString("N"));

    public Spool Spool => Services.GetRequiredService<Spool>();

    public Database Database => Services.GetRequiredService<Database>();

    public FakeTimeProvider Clock { get; } = new(Start);

    public CapturingLoggerProvider Logs { get; } = new();

    public HistoryReader History => new(Database, Spool);

    public OperatorStore Operators => Services.GetRequiredService<OperatorStore>();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Development");
        foreach (var (k, v) in _settings)
        {
            builder.UseSetting(k, v);
        }

        builder.ConfigureServices(s => s.AddSingleton(_time ?? Clock));
        builder.ConfigureLogging(l => l.AddProvider(Logs));
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            TestDatabase?.Dispose();
            if (Directory.Exists(SpoolDirectory))
            {
                Directory.Delete(SpoolDirectory, recursive: true);
            }
        }
    }

    /// <summary>A client that signs every request with <see cref="AuthToken"/>, as Twilio does.</summary>
    public HttpClient SignedClient(string token = AuthToken) =>
        CreateDefaultClient(new SigningHandler(token, _settings.GetValueOrDefault("MiniCC:PublicBaseUrl")));

    /// <summary>Posts a webhook as Twilio does (form-encoded, signed) and returns the response.</summary>
    public async Task<HttpResponseMessage> PostAsync(string path, params (string Key, string Value)[] form)
    {
        using var client = SignedClient();
        using var content = new FormUrlEncodedContent(form.Select(f => KeyValuePair.Create(f.Key, f.Value)));
        return await client.PostAsync(new Uri(path, UriKind.Relative), content);
    }

    /// <summary>
    /// Registers <see cref="Twilio.OperatorPhone"/> as an operator and has it call in, so that it is in the operator
    /// loop; returns the CallSid of its call.
    /// </summary>
    public async Task<string> OperatorCallsInAsync(string? name = "Sato")
    {
        await Operators.AddAsync(Twilio.OperatorPhone, name, default);
        var sid = Twilio.NewCallSid();
        await TwimlAsync("/voice/incoming", Twilio.Call(sid, from: Twilio.OperatorPhone, status: "ringing"));
        return sid;
    }

    /// <summary>GET /healthz (anonymous), parsed.</summary>
    public async Task<System.Text.Json.JsonElement> HealthAsync()
    {
        using var client = CreateClient();
        using var response = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    /// <summary>Posts a webhook and parses the TwiML it answers, checking status and content type.</summary>
    public async Task<XElement> TwimlAsync(string path, params (string Key, string Value)[] form)
    {
        using var response = await PostAsync(path, form);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{path} answered {(int)response.StatusCode}: {body}");
        Assert.Equal("application/xml", response.Content.Headers.ContentType?.MediaType);
        var root = XDocument.Parse(body).Root!;
        Assert.Equal("Response", root.Name.LocalName);
        return root;
    }
}

/// <summary>Keeps log lines so tests can see what MiniCC reported.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines
    {
        get
        {
            lock (_lines)
            {
                return [.. _lines];
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            lock (owner._lines)
            {
                owner._lines.Add($"{logLevel} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
            }
        }
    }
}

/// <summary>Adds X-Twilio-Signature over the absolute URL and the decoded form fields, as Twilio does.</summary>
public sealed class SigningHandler(string token, string? publicBaseUrl = null) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var form = new List<KeyValuePair<string, string>>();
        if (request.Content is FormUrlEncodedContent content)
        {
            // Pair by pair, names kept exactly: Twilio signs Foo and foo as two parameters (a dictionary
            // such as QueryHelpers.ParseQuery's would merge them, and the test would prove nothing).
            foreach (var pair in new Microsoft.AspNetCore.WebUtilities.QueryStringEnumerable(await content.ReadAsStringAsync(cancellationToken)))
            {
                form.Add(KeyValuePair.Create(pair.DecodeName().ToString(), pair.DecodeValue().ToString()));
            }
        }

        // Twilio signs the URL it requested: the public one when MiniCC sits behind a proxy.
        var url = string.IsNullOrEmpty(publicBaseUrl)
            ? request.RequestUri!.AbsoluteUri
            : publicBaseUrl.TrimEnd('/') + request.RequestUri!.PathAndQuery;
        request.Headers.Add(MiniCC.Twilio.Security.RequestSignature.HeaderName,
            MiniCC.Twilio.Security.RequestSignature.Compute(token, url, form));
        return await base.SendAsync(request, cancellationToken);
    }
}
