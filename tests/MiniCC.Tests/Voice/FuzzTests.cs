using System.Globalization;
using System.Net;
using System.Text;
using System.Xml.Linq;
using Dapper;
using MiniCC.Twilio.Webhooks;
using MiniCC.Voice;

namespace MiniCC.Tests.Voice;

/// <summary>
/// Thousands of malformed and hostile requests to every webhook: no 5xx, the app stays up, the database
/// stays consistent, and every refusal is a 4xx that says why.
/// </summary>
public sealed class FuzzTests : IDisposable
{
    private const int Requests = 4000;
    private static readonly string[] Hostile =
    [
        "'; DROP TABLE calls; --", "\" OR 1=1 --", "<Response><Hangup/></Response>", "]]><Dial>", "&amp;&lt;", "\0", "\u0001\u0002",
        "💥🎉", "お電話", "%00", "${jndi:ldap://x}", "../../etc/passwd", "\r\nX-Injected: 1", new string('9', 11), "-1", "1e9", "0x10", "NaN",
    ];

    private static readonly string[] Fields =
    [
        "CallSid", "AccountSid", "From", "To", "CallStatus", "ApiVersion", "Direction", "Digits", "QueuePosition", "QueueSid",
        "QueueTime", "QueueResult", "DequeingCallSid", "CallDuration", "RecordingUrl", "RecordingSid", "RecordingDuration", "ForwardedFrom", "CallerName",
    ];

    private readonly MiniCCFactory _app = new(new() { ["Twilio:AuthToken"] = "" });
    private readonly Random _random = new(20261124);

    public void Dispose() => _app.Dispose();

    private string NewSid(string prefix) => prefix + string.Concat(Enumerable.Range(0, 32).Select(_ => "0123456789abcdef"[_random.Next(16)]));

    private string Value()
    {
        return _random.Next(10) switch
        {
            0 => Hostile[_random.Next(Hostile.Length)],
            1 => new string((char)_random.Next(32, 0x3000), _random.Next(0, 3000)),
            2 => _random.Next(-5, 100).ToString(CultureInfo.InvariantCulture),
            3 => NewSid("CA"),
            4 => NewSid("QU"),
            5 => string.Concat(Enumerable.Range(0, _random.Next(0, 30)).Select(_ => (char)_random.Next(0, 0xD7FF))),
            6 => "",
            7 => new string('x', _random.Next(2040, 2060)),
            _ => "+8190" + _random.Next(10_000_000, 99_999_999).ToString(CultureInfo.InvariantCulture),
        };
    }

    private List<KeyValuePair<string, string>> RandomForm()
    {
        var form = new List<KeyValuePair<string, string>>();
        if (_random.Next(4) != 0)
        {
            form.Add(KeyValuePair.Create("CallSid", _random.Next(3) == 0 ? Value() : NewSid("CA")));
        }

        for (var i = _random.Next(0, 12); i > 0; i--)
        {
            var key = _random.Next(6) == 0 ? Value() : Fields[_random.Next(Fields.Length)];
            form.Add(KeyValuePair.Create(key, Value()));
        }

        return form;
    }

    private static string Encode(List<KeyValuePair<string, string>> form) =>
        string.Join('&', form.Select(f => Uri.EscapeDataString(f.Key) + "=" + Uri.EscapeDataString(f.Value)));

    private HttpRequestMessage RandomRequest(string path)
    {
        switch (_random.Next(8))
        {
            case 0:
            {
                var bytes = new byte[_random.Next(0, 4096)];
                _random.NextBytes(bytes);
                return new HttpRequestMessage(HttpMethod.Post, path)
                {
                    Content = new ByteArrayContent(bytes) { Headers = { { "Content-Type", "application/x-www-form-urlencoded" } } },
                };
            }

            case 1:
            {
                // Invalid UTF-8, both percent-encoded and raw.
                var body = Encoding.ASCII.GetBytes("CallSid=" + NewSid("CA") + "&Digits=%C3%28&From=%FF%FE");
                body = [.. body, .. "&CallerName="u8.ToArray(), 0xC3, 0x28, 0xFF];
                return new HttpRequestMessage(HttpMethod.Post, path)
                {
                    Content = new ByteArrayContent(body) { Headers = { { "Content-Type", "application/x-www-form-urlencoded; charset=utf-8" } } },
                };
            }

            case 2:
            {
                var types = new[] { "application/json", "text/xml", "text/plain", "application/octet-stream", "application/x-www-form-urlencoded; charset=shift_jis" };
                var content = new StringContent(Encode(RandomForm()), Encoding.UTF8);
                content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(types[_random.Next(types.Length)]);
                return new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
            }

            case 3:
            {
                var multipart = new MultipartFormDataContent();
                foreach (var (k, v) in RandomForm())
                {
                    multipart.Add(new StringContent(v), Fields.Contains(k) ? k : "Unknown");
                }

                return new HttpRequestMessage(HttpMethod.Post, path) { Content = multipart };
            }

            case 4:
                return new HttpRequestMessage(HttpMethod.Get, path + "?" + Encode(RandomForm()) + (_random.Next(2) == 0 ? "&%zz=%" : ""));

            case 5:
            {
                var huge = RandomForm();
                huge.Add(KeyValuePair.Create("Junk", new string('A', _random.Next(60_000, 300_000))));
                return new HttpRequestMessage(HttpMethod.Post, path)
                {
                    Content = new StringContent(Encode(huge), Encoding.UTF8, "application/x-www-form-urlencoded"),
                };
            }

            default:
            {
                var form = RandomForm();
                if (_random.Next(3) == 0 && form.Count > 0)
                {
                    form.Add(form[_random.Next(form.Count)]);
                }

                return new HttpRequestMessage(HttpMethod.Post, path)
                {
                    Content = new StringContent(Encode(form), Encoding.UTF8, "application/x-www-form-urlencoded"),
                };
            }
        }
    }

    [Fact]
    public async Task HostileRequestsNeverCauseA5xxAndEveryRefusalSaysWhy()
    {
        using var client = _app.CreateClient();
        var statuses = new Dictionary<int, int>();
        for (var i = 0; i < Requests; i++)
        {
            var path = VoiceRoutes.All[_random.Next(VoiceRoutes.All.Count)] + (_random.Next(10) == 0 ? "?attempt=" + Value() : "");
            using var request = RandomRequest(path);
            var described = $"{request.Method} {path} ({request.Content?.Headers.ContentType})";
            using var response = await client.SendAsync(request);
            var body = await response.Content.ReadAsStringAsync();
            var status = (int)response.StatusCode;
            statuses[status] = statuses.GetValueOrDefault(status) + 1;

            Assert.True(status < 500, $"{described} answered {status}: {body}");
            if (status >= 400)
            {
                Assert.False(string.IsNullOrWhiteSpace(body), $"{described} answered {status} without a reason");
                Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
            }
            else if (status == 200)
            {
                Assert.Equal("Response", XDocument.Parse(body).Root!.Name.LocalName);
            }
        }

        // Both kinds happened: the fuzz reached the flows, and it was refused where it should be.
        Assert.True(statuses.Where(s => s.Key < 300).Sum(s => s.Value) > Requests / 20, string.Join(", ", statuses));
        Assert.True(statuses.Where(s => s.Key >= 400).Sum(s => s.Value) > Requests / 4, string.Join(", ", statuses));

        // Still up, and the database is consistent.
        using var health = await client.GetAsync(new Uri("/healthz", UriKind.Relative));
        Assert.Contains("\"status\":\"ok\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal("ok", await _app.Database.ReadAsync(c => c.ExecuteScalarAsync<string>("PRAGMA integrity_check"), default));
        var events = await _app.History.EventsAsync(default);
        Assert.NotEmpty(events);
        Assert.All(events, e => Assert.True(Sid.IsValid(e.CallSid, "CA"), e.CallSid));
        Assert.All(events, e => Assert.True(e.Digits is null || e.Digits.All(c => char.IsAsciiDigit(c) || c is '*' or '#'), e.Digits));
        Assert.All(events, e => System.Text.Json.JsonDocument.Parse(e.Params).Dispose());
        var visits = await _app.History.QueueVisitsAsync(default);
        Assert.All(visits, v => Assert.True(v.QueueSid.Length == 0 || Sid.IsValid(v.QueueSid, "QU"), v.QueueSid));
        Assert.Equal(0, _app.Spool.Backlog);
    }
}
