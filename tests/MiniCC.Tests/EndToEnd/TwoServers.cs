using MiniCC.Emulator;
using MiniCC.Storage;

namespace MiniCC.Tests.EndToEnd;

/// <summary>
/// Two <c>minicc</c> server processes on two loopback ports and one database, behind a balancer that alternates per
/// request; the emulator talks to the balancer's public URL (what Twilio signs), and the history is read from the database.
/// </summary>
public sealed class TwoServers : IAsyncDisposable
{
    private const string PublicBase = "http://lb.minicc.test";
    private const string Token = "two-instance-test-token";

    private readonly Minicc.Server[] _servers;

    private TwoServers(Minicc cli, Minicc.Server[] servers, RoundRobin balancer, string provider, string connectionString)
    {
        Cli = cli;
        _servers = servers;
        Balancer = balancer;
        Http = new HttpClient(balancer) { BaseAddress = new Uri(PublicBase + "/") };
        Database = new Database(new DatabaseSettings(provider, connectionString));
        History = new HistoryReader(Database, null);
    }

    /// <summary>The CLI on the same database (operators, skills).</summary>
    public Minicc Cli { get; }

    public RoundRobin Balancer { get; }

    public HttpClient Http { get; }

    public Database Database { get; }

    public HistoryReader History { get; }

    /// <summary>
    /// Starts both at once against <paramref name="db"/> (empty: one migrates, the other waits for it), each with
    /// <paramref name="settings"/> as environment variables (MiniCC__Key) and a spool of its own.
    /// </summary>
    public static async Task<TwoServers> StartAsync(TestDatabase db, IReadOnlyDictionary<string, string>? settings = null)
    {
        ArgumentNullException.ThrowIfNull(db);
        var cli = new Minicc();
        cli.Environment["Database__Provider"] = db.Provider;
        cli.Environment["ConnectionStrings__MiniCC"] = db.ConnectionString;
        cli.Environment["Twilio__AuthToken"] = Token;
        cli.Environment["MiniCC__PublicBaseUrl"] = PublicBase;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            cli.Environment[key] = value;
        }

        int[] ports = [Minicc.FreePort(), Minicc.FreePort()];
        var servers = await Task.WhenAll(ports.Select((p, i) =>
            cli.StartServerAsync(p, psi => psi.Environment["MiniCC__SpoolDirectory"] = Path.Combine(cli.WorkingDirectory, $"spool{i}"))));
        return new TwoServers(cli, servers, new RoundRobin(ports), db.Provider, db.ConnectionString);
    }

    /// <summary>An emulated Twilio in front of the balancer, signing with the servers' auth token.</summary>
    public TwilioEmulator Twilio(int seed) => new(Http, new EmulatorOptions { AuthToken = Token, Seed = seed });

    public async ValueTask DisposeAsync()
    {
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }

        Http.Dispose();
        Database.Dispose();
        Cli.Dispose();
    }

    /// <summary>Sends each request to the next instance in turn; the public URL (what Twilio signs) stays the balancer's.</summary>
    public sealed class RoundRobin(int[] ports) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _next;

        public int[] Served { get; } = new int[ports.Length];

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var i = _next++ % ports.Length;
            Served[i]++;
            request.RequestUri = new UriBuilder(request.RequestUri!) { Scheme = "http", Host = "127.0.0.1", Port = ports[i] }.Uri;
            return base.SendAsync(request, cancellationToken);
        }
    }
}
