using System.Net.ServerSentEvents;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using MiniCC.Tests.Pages;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Desk;

public sealed class SqliteDeskCallbackTests() : DeskCallbackTests("sqlite");

public sealed class MySqlDeskCallbackTests() : DeskCallbackTests("mysql");

public sealed class PostgresDeskCallbackTests() : DeskCallbackTests("postgres");

/// <summary>
/// While a desk operator's call dials a callback, the desk's stream carries it (whom, when asked, which attempt, the
/// number's earlier calls) instead of the caller they took before; when the dial ends, it is gone.
/// </summary>
public abstract class DeskCallbackTests(string provider) : IDisposable
{
    private readonly RealTimeInstances _instances = new(provider);

    public void Dispose() => _instances.Dispose();

    private static async Task<JsonElement> NextViewAsync(IAsyncEnumerator<SseItem<string>> events, Func<JsonElement, bool> wanted) =>
        JsonDocument.Parse((await RealTimeInstances.NextAsync(events, e => e.EventType == "desk" && wanted(JsonDocument.Parse(e.Data).RootElement),
            TimeSpan.FromSeconds(30))).Data).RootElement.Clone();

    private static bool Has(JsonElement view, string part) => view.GetProperty(part).ValueKind == JsonValueKind.Object;

    [SkippableFact]
    public async Task TheDeskShowsTheCallbackItsCallDialsInsteadOfTheCallerItTookBefore()
    {
        var app = _instances.Start(settings: DeskSettings.On(CallbackRequests.Settings()));
        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        var op = (await app.Operators.FindAsync(OperatorPhone, default))!;
        using var browser = await SignInForm.SignedInBrowserAsync(app);
        await app.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, op.Id, default);
        using var response = await browser.GetAsync(new Uri("/desk/events", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        response.EnsureSuccessStatusCode();
        await using var body = await response.Content.ReadAsStreamAsync();
        await using var events = SseParser.Create(body).EnumerateAsync().GetAsyncEnumerator();
        Assert.False(Has(await NextViewAsync(events, _ => true), "callback"));

        // On line at the desk, the operator takes a caller: the screen pop.
        var desk = "client:operator_" + op.Id;
        var leg = NewCallSid();
        await app.TwimlAsync("/voice/client", [.. Call(leg, from: desk, status: "ringing").Where(p => p.Item1 != "To"), ("To", "")]);
        var caller = NewCallSid();
        await app.TwimlAsync("/voice/incoming", Call(caller, status: "ringing"));
        await app.TwimlAsync("/voice/menu", Call(caller, extra: [("Digits", "1")]));
        await app.TwimlAsync("/voice/wait", Call(caller, extra: [("QueuePosition", "1"), ("QueueSid", QueueSid), ("QueueTime", "0")]));
        await app.TwimlAsync("/voice/whisper", Call(caller, extra: [("QueueSid", QueueSid), ("QueueTime", "3"), ("DequeingCallSid", leg)]));
        await NextViewAsync(events, v => Has(v, "caller"));
        await app.TwimlAsync("/voice/queue-exit", Call(caller, extra: [("QueueResult", "bridged"), ("QueueSid", QueueSid), ("QueueTime", "3")]));
        await app.TwimlAsync("/voice/operator", Call(leg, from: desk, extra: [("DialCallStatus", "completed")]));

        // Then another number asks to be called back, and the loop dials it.
        const string Other = "+819077778888";
        var asked = DateTimeOffset.UtcNow;
        var asking = await app.AskCallbackAsync(Other, asked.ToUnixTimeMilliseconds() - 30_000);
        var (number, action) = await app.DialsAsync(leg, desk);
        Assert.Equal(Other, number);

        var dialing = await NextViewAsync(events, v => Has(v, "callback"));
        var callback = dialing.GetProperty("callback");
        Assert.Equal((Other, 1), (callback.GetProperty("number").GetString(), callback.GetProperty("attempt").GetInt32()));
        Assert.InRange(callback.GetProperty("askedAt").GetDateTimeOffset(), asked.AddSeconds(-1), asked.AddSeconds(30));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(asked.ToUnixTimeMilliseconds() - 30_000), callback.GetProperty("placeAt").GetDateTimeOffset());
        Assert.Equal(asking, Assert.Single(callback.GetProperty("previous").EnumerateArray()).GetProperty("callSid").GetString());
        Assert.Equal(JsonValueKind.Null, dialing.GetProperty("caller").ValueKind);
        Assert.Equal("on-call", dialing.GetProperty("state").GetProperty("state").GetString());

        // Not reached: the callback leaves the desk, and the caller taken before does not come back as if they were the last.
        await app.DialEndsAsync(action, leg, desk, "no-answer");
        var after = await NextViewAsync(events, v => !Has(v, "callback"));
        Assert.Equal(JsonValueKind.Null, after.GetProperty("caller").ValueKind);
    }
}
