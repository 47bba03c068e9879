using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MiniCC.Twilio.Security;

namespace MiniCC.Emulator;

/// <summary>
/// A stand-in for Twilio's Programmable Voice: places inbound calls to an app through an
/// <see cref="HttpClient"/>, interprets its TwiML as Twilio documents it, keeps the queues, and
/// runs in virtual time (discrete events): nothing happens between events, so an hour takes milliseconds.
/// </summary>
public sealed class TwilioEmulator
{
    private readonly HttpClient _http;
    private readonly PriorityQueue<Func<Task>, (long Ticks, long Seq)> _events = new();
    private readonly Dictionary<string, EmulatedQueue> _queues = new(StringComparer.Ordinal);
    private readonly List<EmulatedCall> _calls = [];
    private readonly List<ApplicationError> _errors = [];
    private long _seq;

    public TwilioEmulator(HttpClient http, EmulatorOptions? options = null, VirtualClock? clock = null)
    {
        _http = http ?? throw new ArgumentNullException(nameof(http));
        Options = options ?? new EmulatorOptions();
        Clock = clock ?? new VirtualClock(Options.Start);
        Random = new Random(Options.Seed);
    }

    public EmulatorOptions Options { get; }

    /// <summary>The simulated time; give it to the app as its <see cref="TimeProvider"/>.</summary>
    public VirtualClock Clock { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Every random choice comes from here, so a seed repeats a run exactly.</summary>
    public Random Random { get; }

    public IReadOnlyList<EmulatedCall> Calls => _calls;

    public IReadOnlyList<ApplicationError> ApplicationErrors => _errors;

    /// <summary>Writes every request, response and error as it happens (for --trace).</summary>
    public Action<string>? Trace { get; set; }

    /// <summary>Callers in the queue named <paramref name="name"/> now, first in line first.</summary>
    public IReadOnlyList<EmulatedCall> QueueMembers(string name) =>
        _queues.TryGetValue(name, out var q) ? q.Members.Select(m => m.Call).ToList() : [];

    /// <summary>The ground truth of every call so far.</summary>
    public IEnumerable<CallTruth> Truth => _calls.Select(c => c.Truth);

    public TruthSummary Summary(int shortAbandonSeconds = 5) => TruthSummary.Of(Truth, _errors.Count, shortAbandonSeconds);

    /// <summary>Places an inbound call from <paramref name="from"/> to the number; its first webhook is answered before this returns.</summary>
    public async Task<EmulatedCall> DialAsync(string from, CallerScript? script = null, string? to = null)
    {
        var call = new EmulatedCall(this, NewSid("CA"), from, to ?? Options.Number, script);
        _calls.Add(call);
        At(Now, call.StartAsync);
        await RunDueAsync();
        return call;
    }

    /// <summary>Places a call at <paramref name="when"/> (for scenarios that plan ahead); it starts when the time comes.</summary>
    public EmulatedCall PlaceCall(DateTimeOffset when, string from, CallerScript? script = null)
    {
        var call = new EmulatedCall(this, NewSid("CA"), from, Options.Number, script);
        At(when, () =>
        {
            _calls.Add(call);
            return call.StartAsync();
        });
        return call;
    }

    /// <summary>Runs <paramref name="action"/> at <paramref name="when"/> in simulated time.</summary>
    public void Schedule(DateTimeOffset when, Func<Task> action) => At(when, action);

    /// <summary>Raised when a call ends (after its last verb, a hang-up or an error).</summary>
    public event Action<EmulatedCall>? CallEnded;

    internal void RaiseEnded(EmulatedCall call) => CallEnded?.Invoke(call);

    /// <summary>True while something is still to happen.</summary>
    public bool HasPendingEvents => _events.Count > 0;

    /// <summary>Lets <paramref name="duration"/> of simulated time pass, running everything due in order.</summary>
    public Task AdvanceAsync(TimeSpan duration) => RunUntilAsync(Now + duration);

    /// <summary>Runs every event due up to <paramref name="until"/>, in time order, then sets the clock there.</summary>
    public async Task RunUntilAsync(DateTimeOffset until)
    {
        while (_events.TryPeek(out var action, out var key) && key.Ticks <= until.UtcTicks)
        {
            _events.Dequeue();
            Clock.MoveTo(new DateTimeOffset(key.Ticks, TimeSpan.Zero));
            await action();
        }

        Clock.MoveTo(until);
    }

    /// <summary>Runs until nothing is left to happen (every call ended), or <paramref name="limit"/> of simulated time.</summary>
    public async Task RunToEndAsync(TimeSpan limit)
    {
        var end = Now + limit;
        while (_events.TryPeek(out _, out var key) && key.Ticks <= end.UtcTicks)
        {
            await RunUntilAsync(new DateTimeOffset(key.Ticks, TimeSpan.Zero));
        }
    }

    internal void At(DateTimeOffset when, Func<Task> action) =>
        _events.Enqueue(action, (Math.Max(when.UtcTicks, Now.UtcTicks), _seq++));

    internal void After(TimeSpan delay, Func<Task> action) => At(Now + delay, action);

    /// <summary>Runs the events due now (and those they schedule for now).</summary>
    internal Task RunDueAsync() => RunUntilAsync(Now);

    internal string NewSid(string prefix)
    {
        var bytes = new byte[16];
        Random.NextBytes(bytes);
        return prefix + Convert.ToHexStringLower(bytes);
    }

    internal EmulatedQueue Queue(string name)
    {
        if (!_queues.TryGetValue(name, out var q))
        {
            q = new EmulatedQueue(name, NewSid("QU"), Options.MaxQueueSize);
            _queues[name] = q;
        }

        return q;
    }

    internal void Error(EmulatedCall call, string url, string reason)
    {
        var e = new ApplicationError(Now, call.CallSid, url, reason);
        _errors.Add(e);
        Trace?.Invoke($"{Now:HH:mm:ss} {call.CallSid} APPLICATION ERROR {url}: {reason}");
    }

    /// <summary>Requests <paramref name="url"/> (resolved against <paramref name="baseUrl"/>) as Twilio does; null when it failed (the error is recorded).</summary>
    internal async Task<(string Url, string Body)?> FetchAsync(EmulatedCall call, string url, string? baseUrl, string method,
        IEnumerable<KeyValuePair<string, string>> parameters, bool expectTwiml = true)
    {
        var absolute = Resolve(url, baseUrl);
        var list = parameters.ToList();
        if (++call.Requests > Options.MaxRequestsPerCall)
        {
            Error(call, absolute.ToString(), $"more than {Options.MaxRequestsPerCall} requests for one call (a TwiML loop?)");
            return null;
        }

        HttpResponseMessage? response = null;
        string body;
        try
        {
            response = await SendAsync(call, absolute, method, list, withCredentials: call.UseCredentials);
            if (response.StatusCode == HttpStatusCode.Unauthorized && !call.UseCredentials && Options.BasicAuthUsername is not null &&
                response.Headers.WwwAuthenticate.Any(h => h.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase)))
            {
                // Twilio's challenge flow: ask again with the credentials, and keep using them for this call.
                response.Dispose();
                call.UseCredentials = true;
                response = await SendAsync(call, absolute, method, list, withCredentials: true);
            }

            body = await response.Content.ReadAsStringAsync();
            call.Record(new Exchange(Now, method, absolute.ToString(), list, (int)response.StatusCode, body));
            Trace?.Invoke($"{Now:HH:mm:ss} {call.CallSid} {method} {absolute.PathAndQuery} -> {(int)response.StatusCode} {Shorten(body)}");
            if (!response.IsSuccessStatusCode)
            {
                Error(call, absolute.ToString(), $"HTTP {(int)response.StatusCode} (error 11200)");
                return null;
            }

            if (!expectTwiml)
            {
                return (absolute.ToString(), body);
            }

            var type = response.Content.Headers.ContentType?.MediaType;
            if (type is null)
            {
                Error(call, absolute.ToString(), "no Content-Type (error 12300)");
                return null;
            }

            if (type is not ("text/xml" or "application/xml" or "text/html"))
            {
                Error(call, absolute.ToString(), $"Content-Type {type} is not TwiML (error 12300)");
                return null;
            }

            if (Encoding.UTF8.GetByteCount(body) > Options.MaxResponseBytes)
            {
                Error(call, absolute.ToString(), $"response larger than {Options.MaxResponseBytes} bytes (error 11750)");
                return null;
            }

            return (absolute.ToString(), body);
        }
        catch (HttpRequestException ex)
        {
            Error(call, absolute.ToString(), "request failed (error 11205): " + ex.Message);
            return null;
        }
        finally
        {
            response?.Dispose();
        }
    }

    private async Task<HttpResponseMessage> SendAsync(EmulatedCall call, Uri url, string method, List<KeyValuePair<string, string>> parameters, bool withCredentials)
    {
        HttpRequestMessage request;
        string signedUrl;
        if (method == "GET")
        {
            var query = string.Join('&', parameters.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
            var withQuery = new UriBuilder(url) { Query = string.IsNullOrEmpty(url.Query) ? query : url.Query.TrimStart('?') + "&" + query }.Uri;
            request = new HttpRequestMessage(HttpMethod.Get, withQuery);
            signedUrl = withQuery.AbsoluteUri;
        }
        else
        {
            request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(parameters) };
            signedUrl = url.AbsoluteUri;
        }

        if (Options.AuthToken is { Length: > 0 } token)
        {
            request.Headers.Add(RequestSignature.HeaderName, RequestSignature.Compute(token, signedUrl, method == "GET" ? null : parameters));
        }

        if (withCredentials)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
                Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Options.BasicAuthUsername}:{Options.BasicAuthPassword}")));
        }

        request.Headers.Add("I-Twilio-Idempotency-Token", NewSid("ID")[2..]);
        request.Headers.UserAgent.ParseAdd("TwilioProxy/1.1");
        using (request)
        {
            return await _http.SendAsync(request);
        }
    }

    private Uri Resolve(string url, string? baseUrl)
    {
        var root = _http.BaseAddress ?? new Uri("http://localhost/");
        var b = baseUrl is null ? root : new Uri(root, baseUrl);
        return new Uri(b, url);
    }

    private static string Shorten(string s) => s.Length <= 200 ? s : s[..200] + "…";

    internal static string Seconds(TimeSpan t) => ((long)Math.Floor(t.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}

/// <summary>A Twilio queue: FIFO callers, and operators whose &lt;Dial&gt;&lt;Queue&gt; waits for the next one.</summary>
internal sealed class EmulatedQueue(string name, string sid, int maxSize)
{
    public string Name { get; } = name;
    public string Sid { get; } = sid;
    public int MaxSize { get; } = maxSize;
    public List<(EmulatedCall Call, DateTimeOffset Entered)> Members { get; } = [];
    public List<EmulatedCall> WaitingDialers { get; } = [];

    public int PositionOf(EmulatedCall call) => Members.FindIndex(m => m.Call == call) + 1;
}
