using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using MiniCC.Security;
using MiniCC.Storage;
using static MiniCC.Tests.Twilio;

namespace MiniCC.Tests.Desk;

/// <summary>
/// The desk's state buttons over HTTP, with the desk's calls as Twilio makes them: only the signed-in operator's own
/// state, only from a state the loop can leave, and a break while waiting in the queue goes through calling again.
/// </summary>
public sealed class DeskStateTests : IDisposable
{
    private readonly List<MiniCCFactory> _apps = [];

    public void Dispose()
    {
        foreach (var app in _apps)
        {
            app.Dispose();
        }
    }

    private MiniCCFactory Start(Dictionary<string, string?>? settings = null)
    {
        var app = new MiniCCFactory(settings ?? DeskSettings.On());
        _apps.Add(app);
        return app;
    }

    private static async Task<(HttpClient Browser, string Desk)> OperatorAtDeskAsync(MiniCCFactory app)
    {
        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        var op = (await app.Operators.FindAsync(OperatorPhone, default))!;
        var browser = await SignInForm.SignedInBrowserAsync(app);
        Assert.True(await app.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, op.Id, default));
        return (browser, "client:operator_" + op.Id);
    }

    /// <summary>The desk calls the TwiML App (the loop), with the Voice SDK's custom parameters.</summary>
    private static async Task<string> GoOnLineAsync(MiniCCFactory app, string desk, params (string, string)[] parameters)
    {
        var sid = NewCallSid();
        var answer = await app.TwimlAsync("/voice/client",
            [.. Call(sid, from: desk, status: "ringing").Where(p => p.Item1 != "To"), ("To", ""), ("ApplicationSid", DeskSettings.App), .. parameters]);
        Assert.Equal("/voice/operator", answer.Element("Redirect")!.Value);
        return sid;
    }

    private static async Task<JsonElement> StateAsync(HttpClient browser)
    {
        using var response = await browser.GetAsync(new Uri("/desk/state", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    private static async Task<(HttpStatusCode Status, JsonElement Json)> PostAsync(HttpClient browser, string state, string? reason = null, bool token = true)
    {
        var form = new List<KeyValuePair<string, string>> { new("state", state) };
        if (reason is not null)
        {
            form.Add(new("reason", reason));
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, "/desk/state") { Content = new FormUrlEncodedContent(form) };
        if (token)
        {
            // As the desk's script sends it: the page's token in the header antiforgery reads.
            request.Headers.Add("RequestVerificationToken", await SignInForm.TokenAsync(browser));
        }

        using var response = await browser.SendAsync(request);
        return (response.StatusCode, JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone());
    }

    [Fact]
    public async Task ADeskOffLineCanOnlyGoOnLine()
    {
        var app = Start();
        var (browser, _) = await OperatorAtDeskAsync(app);

        var state = await StateAsync(browser);
        Assert.Equal(("offline", false), (state.GetProperty("state").GetString(), state.GetProperty("onLine").GetBoolean()));
        Assert.Equal(["break", "lunch", "meeting", "training"], state.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("key").GetString()));
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(browser, "ready")).Status);
    }

    [Fact]
    public async Task ABreakWhileWaitingInTheQueueStartsByCallingAgainAndEndsWithTheReadyButton()
    {
        var app = Start();
        var (browser, desk) = await OperatorAtDeskAsync(app);
        var first = await GoOnLineAsync(app, desk);
        Assert.Equal(("ready", true), ((await StateAsync(browser)).GetProperty("state").GetString(), (await StateAsync(browser)).GetProperty("onLine").GetBoolean()));

        var (status, json) = await PostAsync(browser, "break", "lunch");
        Assert.Equal(HttpStatusCode.Conflict, status);
        var reconnect = json.GetProperty("reconnect");
        Assert.Equal(("break", "lunch"), (reconnect.GetProperty("State").GetString(), reconnect.GetProperty("Reason").GetString()));

        // The desk hangs up its waiting call and calls again with those parameters.
        using (await app.PostAsync("/voice/status", Call(first, from: desk, status: "completed")))
        {
        }

        var second = await GoOnLineAsync(app, desk, ("State", "break"), ("Reason", "lunch"));
        var onBreak = await StateAsync(browser);
        Assert.Equal(("break", "lunch"), (onBreak.GetProperty("state").GetString(), onBreak.GetProperty("reason").GetString()));
        Assert.Equal(["Gather", "Redirect"], Verbs(await app.TwimlAsync("/voice/operator", Call(second, from: desk))));

        (status, json) = await PostAsync(browser, "ready");
        Assert.Equal((HttpStatusCode.OK, "ready"), (status, json.GetProperty("state").GetString()));
        // The loop's next check serves callers again.
        Assert.Equal(["Gather", "Dial", "Redirect"], Verbs(await app.TwimlAsync("/voice/operator?held=break", Call(second, from: desk))));
    }

    [Fact]
    public async Task WrapUpShowsWhenItEndsAndTheReadyButtonEndsItEarly()
    {
        var app = Start();
        var (browser, desk) = await OperatorAtDeskAsync(app);
        var leg = await GoOnLineAsync(app, desk);
        await app.TwimlAsync("/voice/whisper", Call(NewCallSid(), extra: [("QueueSid", QueueSid), ("QueueTime", "5"), ("DequeingCallSid", leg)]));
        Assert.Equal(OperatorStates.OnCall, (await StateAsync(browser)).GetProperty("state").GetString());
        Assert.Equal(HttpStatusCode.Conflict, (await PostAsync(browser, "ready")).Status);
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(["Gather", "Redirect"], Verbs(await app.TwimlAsync("/voice/operator", Call(leg, from: desk, extra: [("DialCallStatus", "completed")]))));

        var wrapUp = await StateAsync(browser);
        Assert.Equal("wrap-up", wrapUp.GetProperty("state").GetString());
        Assert.Equal(wrapUp.GetProperty("since").GetDateTimeOffset().AddSeconds(30), wrapUp.GetProperty("wrapUpEndsAt").GetDateTimeOffset());
        var (status, json) = await PostAsync(browser, "ready");
        Assert.Equal((HttpStatusCode.OK, "ready"), (status, json.GetProperty("state").GetString()));
        Assert.Equal(["Gather", "Dial", "Redirect"], Verbs(await app.TwimlAsync("/voice/operator?held=wrap-up", Call(leg, from: desk))));
    }

    [Fact]
    public async Task AChangeNeedsTheTokenAKnownReasonAndAnOperator()
    {
        var app = Start();
        var (browser, desk) = await OperatorAtDeskAsync(app);
        await GoOnLineAsync(app, desk, ("State", "break"), ("Reason", "meeting"));

        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(browser, "ready", token: false)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(browser, "break", "nap")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(browser, "break", "no-answer")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(browser, "offline")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync(browser, "ready\0")).Status);
        Assert.Equal("meeting", (await StateAsync(browser)).GetProperty("reason").GetString());

        await app.Services.GetRequiredService<UserStore>().LinkOperatorAsync(SignInForm.User, null, default);
        Assert.Equal(HttpStatusCode.Forbidden, (await PostAsync(browser, "ready")).Status);
        using var anonymous = app.CreateClient(new Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var response = await anonymous.GetAsync(new Uri("/desk/state", UriKind.Relative));
        Assert.NotEqual(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task TheDeskIsOffUntilConfigured()
    {
        var app = Start([]);
        await app.Operators.AddAsync(OperatorPhone, "Sato", default);
        var browser = await SignInForm.SignedInBrowserAsync(app);
        using var response = await browser.GetAsync(new Uri("/desk/state", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
