using System.Diagnostics;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using Xunit.Abstractions;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Desk;

public sealed class SqliteScreenPopTests(ITestOutputHelper output) : ScreenPopTests("sqlite", output);

public sealed class MySqlScreenPopTests(ITestOutputHelper output) : ScreenPopTests("mysql", output);

public sealed class PostgresScreenPopTests(ITestOutputHelper output) : ScreenPopTests("postgres", output);

/// <summary>
/// The screen pop, as the desk's stream carries it: a caller picked up through another instance on the same database
/// shows on this instance's desk within a second, with their number, menu choice, wait, earlier calls and abandons.
/// </summary>
public abstract class ScreenPopTests(string provider, ITestOutputHelper output) : IDisposable
{
    private static readonly TimeSpan Promise = TimeSpan.FromSeconds(1);

    private readonly RealTimeInstances _instances = new(provider);

    public void Dispose() => _instances.Dispose();

    private static async Task<JsonElement> NextViewAsync(IAsyncEnumerator<SseItem<string>> events, Func<JsonElement, bool> wanted, TimeSpan within) =>
        JsonDocument.Parse((await RealTimeInstances.NextAsync(events, e => e.EventType == "desk" && wanted(JsonDocument.Parse(e.Data).RootElement), within)).Data)
            .RootElement.Clone();

    private static async Task CustomerCallAsync(MiniCCFactory app, string sid, string result)
    {
        await app.TwimlAsync("/voice/incoming", Call(sid, status: "ringing"));
        await app.TwimlAsync("/voice/menu", Call(sid, extra: [("Digits", "1")]));
        await app.TwimlAsync("/voice/wait", Call(sid, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        await app.TwimlAsync("/voice/queue-exit", Call(sid, extra: [("QueueResult", result), ("QueueSid", QueueSid), ("QueueTime", "4")]));
    }

    [SkippableFact]
    public async Task ACallerPickedUpThroughAnotherInstancePopsUpOnTheDeskWithinOneSecond()
    {
        var a = _instances.Start(settings: DeskSettings.On());
        var b = _instances.Start(sameDatabaseAs: a, settings: DeskSettings.On());
        await a.Operators.AddAsync(OperatorPhone, "Sato", default);
        var op = (await a.Operators.FindAsync(OperatorPhone, default))!;
        using var browser = await SignInForm.SignedInBrowserAsync(a);
        await a.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, op.Id, default);
        // The same number called earlier today and hung up while waiting.
        await CustomerCallAsync(b, NewCallSid(), "hangup");

        using var response = await browser.GetAsync(new Uri("/desk/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var events = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
        var first = await NextViewAsync(events, _ => true, TimeSpan.FromSeconds(30));
        Assert.Equal("offline", first.GetProperty("state").GetProperty("state").GetString());

        var leg = NewCallSid();
        await b.TwimlAsync("/voice/client", [.. Call(leg, from: "client:operator_" + op.Id, status: "ringing").Where(p => p.Item1 != "To"), ("To", "")]);
        await NextViewAsync(events, v => v.GetProperty("state").GetProperty("onLine").GetBoolean(), TimeSpan.FromSeconds(5));

        var customer = NewCallSid();
        await b.TwimlAsync("/voice/incoming", Call(customer, status: "ringing"));
        await b.TwimlAsync("/voice/menu", Call(customer, extra: [("Digits", "1")]));
        await b.TwimlAsync("/voice/wait", Call(customer, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        await b.TwimlAsync("/voice/whisper", Call(customer, extra: [("QueueSid", QueueSid), ("QueueTime", "12"), ("DequeingCallSid", leg)]));
        var answered = Stopwatch.StartNew();
        var pop = await NextViewAsync(events, v => v.GetProperty("caller").ValueKind == JsonValueKind.Object, Promise);
        output.WriteLine($"{provider}: the screen pop came {answered.Elapsed.TotalMilliseconds:0} ms after the other instance's answer");

        Assert.Equal("on-call", pop.GetProperty("state").GetProperty("state").GetString());
        var caller = pop.GetProperty("caller");
        Assert.Equal((customer, Customer, "operator", 12L, 1),
            (caller.GetProperty("callSid").GetString(), caller.GetProperty("from").GetString(), caller.GetProperty("ivrChoice").GetString(),
             caller.GetProperty("waitSeconds").GetInt64(), caller.GetProperty("abandonedToday").GetInt32()));
        var previous = Assert.Single(caller.GetProperty("previous").EnumerateArray());
        Assert.Equal("hangup", previous.GetProperty("result").GetString());
    }
}
