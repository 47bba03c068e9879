using MiniCC.Security;

namespace MiniCC.Voice;

/// <summary>The webhooks Twilio calls. Each accepts a form POST or a GET with a query string.</summary>
public static class VoiceEndpoints
{
    private static readonly string[] Methods = ["GET", "POST"];

    public static IServiceCollection AddVoice(this IServiceCollection services)
    {
        services.AddSingleton<CallFlow>();
        services.AddSingleton<DeskCallFlow>();
        services.AddSingleton<OperatorLoopFlow>();
        services.AddSingleton<CallbackFlow>();
        services.AddSingleton<CallbackDialFlow>();
        services.AddSingleton<Callbacks.CallbackStore>();
        services.AddSingleton<Operators.OperatorStateStore>();
        services.AddSingleton<WaitVisits>();
        services.AddSingleton<Queues.QueueDirectory>();
        services.AddSingleton<Queues.QueueChooser>();
        services.AddSingleton<Operators.OperatorSkills>();
        services.AddSingleton<Operators.OperatorLookup>();
        services.AddSingleton<Operators.PinLockout>();
        services.AddSingleton<VoicemailFlow>();
        services.AddSingleton<WaitEstimator>();
        return services;
    }

    public static IEndpointRouteBuilder MapVoice(this IEndpointRouteBuilder app)
    {
        var voice = app.MapGroup("").RequireTwilio().AddEndpointFilter<WebhookFilter>().DisableAntiforgery();
        voice.MapMethods(VoiceRoutes.Incoming, Methods, async (TwilioRequest r, CallFlow f, CancellationToken ct) =>
            TwimlResult.From(await f.IncomingAsync(r.Hook, ct)));
        voice.MapMethods(VoiceRoutes.Menu, Methods, async (TwilioRequest r, CallFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.MenuAsync(r.Hook, MenuPlace(http), ct)));
        voice.MapMethods(VoiceRoutes.NoInput, Methods, async (TwilioRequest r, CallFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.NoInputAsync(r.Hook, MenuPlace(http), ct)));
        voice.MapMethods(VoiceRoutes.Information, Methods, (TwilioRequest r, CallFlow f) =>
            TwimlResult.From(f.Information()));
        voice.MapMethods(VoiceRoutes.Wait, Methods, async (TwilioRequest r, CallFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.WaitAsync(r.Hook, QueueOf(http), LanguageOf(http), QueueEntry(http), ct)));
        voice.MapMethods(VoiceRoutes.Operator, Methods, async (TwilioRequest r, OperatorLoopFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.LoopAsync(r.Hook, Held(http), QueueOf(http), ct)));
        voice.MapMethods(VoiceRoutes.OperatorKey, Methods, async (TwilioRequest r, OperatorLoopFlow f, CancellationToken ct) =>
            TwimlResult.From(await f.KeyAsync(r.Hook, ct)));
        voice.MapMethods(VoiceRoutes.OperatorBreak, Methods, async (TwilioRequest r, OperatorLoopFlow f, CancellationToken ct) =>
            TwimlResult.From(await f.BreakAsync(r.Hook, ct)));
        voice.MapMethods(VoiceRoutes.OperatorPin, Methods, async (TwilioRequest r, CallFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.OperatorPinAsync(r.Hook, PinAttempt(http), ct)));
        voice.MapMethods(VoiceRoutes.Whisper, Methods, async (TwilioRequest r, CallFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.WhisperAsync(r.Hook, QueueOf(http), ct)));
        voice.MapMethods(VoiceRoutes.QueueExit, Methods, async (TwilioRequest r, CallFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.QueueExitAsync(r.Hook, QueueOf(http), LanguageOf(http), QueueEntry(http), ct)));
        voice.MapMethods(VoiceRoutes.Client, Methods, async (TwilioRequest r, DeskCallFlow f, CancellationToken ct) =>
            TwimlResult.From(await f.CallAsync(r.Hook, ct)));
        voice.MapMethods(VoiceRoutes.WaitKey, Methods, async (TwilioRequest r, CallbackFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.WaitKeyAsync(r.Hook, CallbackContext(http, r.Hook), ct)));
        voice.MapMethods(VoiceRoutes.CallbackNumber, Methods, async (TwilioRequest r, CallbackFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.NumberAsync(r.Hook, CallbackContext(http, r.Hook), http.Query["keyed"] == "1", Count(http, "try"), ct)));
        voice.MapMethods(VoiceRoutes.NoOperator, Methods, async (TwilioRequest r, CallbackFlow f, HttpRequest http, CancellationToken ct) =>
            TwimlResult.From(await f.NoOperatorAsync(r.Hook, QueueOf(http), LanguageOf(http), ct)));
        voice.MapMethods(VoiceRoutes.CallbackResult, Methods, async (TwilioRequest r, CallbackDialFlow f, HttpRequest http, CancellationToken ct) =>
            Id(http, "id") is { } id && Id(http, "op") is { } op
                ? TwimlResult.From(await f.ResultAsync(r.Hook, id, Count(http, "attempt"), op, ct))
                : Results.BadRequest("The callback's id and operator (id, op in the query, as MiniCC wrote them) are missing."));
        voice.MapMethods(VoiceRoutes.CallbackGreeting, Methods, async (TwilioRequest r, CallbackDialFlow f, HttpRequest http) =>
            TwimlResult.From(await f.GreetingAsync(r.Hook, Id(http, "id"), Count(http, "attempt"))));
        voice.MapMethods(VoiceRoutes.CallRecording, Methods, async (TwilioRequest r, CallFlow f, HttpRequest http) =>
        {
            await f.CallRecordedAsync(r.Hook, QueueOf(http));
            return Results.NoContent();
        });
        voice.MapMethods(VoiceRoutes.Status, Methods, async (TwilioRequest r, CallFlow f, CancellationToken ct) =>
        {
            await f.CallEndedAsync(r.Hook, ct);
            return Results.NoContent();
        });
        voice.MapVoicemailHooks();
        return app;
    }

    /// <summary>The attempt number MiniCC put in the PIN Gather's action URL (signed by Twilio with it); 1 when absent or odd.</summary>
    private static int PinAttempt(HttpRequest http) => Count(http, "attempt", CallFlow.MaxPinAttempts);

    /// <summary>The state a hold was in, as MiniCC put it in the hold's Redirect (signed by Twilio with it); null when absent or odd.</summary>
    private static string? Held(HttpRequest http) =>
        http.Query["held"].ToString() is var held && Storage.OperatorStates.All.Contains(held) ? held : null;

    /// <summary>
    /// Where the caller is in the menu, as MiniCC put it in the Gather's URLs (signed by Twilio with them): the node (a
    /// node id's shape, else none: the home menu), the wrong keys so far, the call's language (one MiniCC speaks, else the center's).
    /// </summary>
    private static CallFlow.MenuPlace MenuPlace(HttpRequest http)
    {
        var node = http.Query["node"].ToString();
        return new CallFlow.MenuPlace(
            node.Length is > 0 and <= 20 && node.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') ? node : null,
            Count(http, "try", 11),
            LanguageOf(http));
    }

    /// <summary>Which queue MiniCC put in the queue's URLs (signed by Twilio with them): a queue name's shape, else none (the default queue).</summary>
    private static string? QueueOf(HttpRequest http) => http.Query["queue"].ToString() is var q && Queues.QueueDirectory.IsName(q) ? q : null;

    /// <summary>The call's language MiniCC put in the queue's URLs (one it speaks), else none: the center's.</summary>
    internal static string? LanguageOf(HttpRequest http) => http.Query["lang"].ToString() is var l && PromptSet.Find(l) is not null ? l : null;

    /// <summary>Which entry into the queue MiniCC put in the Enqueue's URLs (signed by Twilio with them); 1 when absent or odd.</summary>
    private static int QueueEntry(HttpRequest http) => Count(http, "entry", CallFlow.MaxQueueEntries);

    /// <summary>
    /// Where a callback is asked for, as MiniCC put it in the Gather's URL (signed by Twilio with it): the queue (with when
    /// the caller entered it) or the no-operator choice. A missing or odd time is now: a place at the back, never ahead.
    /// </summary>
    private static CallbackFlow.Context CallbackContext(HttpRequest http, Twilio.Webhooks.VoiceWebhook hook)
    {
        var place = http.Query["at"] == "menu" ? CallbackFlow.Place.Menu : CallbackFlow.Place.Queue;
        var since = long.TryParse(http.Query["since"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0
            ? s : long.MaxValue;
        return new CallbackFlow.Context(place, QueueEntry(http), since, QueueOf(http), LanguageOf(http));
    }

    /// <summary>A count MiniCC wrote in a URL (an attempt, an entry): 1 to <paramref name="max"/>; 1 when absent or odd.</summary>
    private static int Count(HttpRequest http, string name, int max = 99) =>
        int.TryParse(http.Query[name], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            && n >= 1 && n <= max ? n : 1;

    private static long? Id(HttpRequest http, string name) =>
        long.TryParse(http.Query[name], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null;

    /// <summary>
    /// Twilio reads only TwiML: an unexpected failure in a flow answers a valid apology that keeps the
    /// caller moving (to the queue, or on with the loop), never an HTML error page.
    /// </summary>
    public static IApplicationBuilder UseVoiceErrorHandler(this IApplicationBuilder app) =>
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var path = context.Request.Path.Value ?? "";
                var answer = path is VoiceRoutes.Operator or VoiceRoutes.OperatorKey or VoiceRoutes.OperatorBreak or VoiceRoutes.CallbackResult
                    ? context.RequestServices.GetRequiredService<OperatorLoopFlow>().Trouble()
                    : context.RequestServices.GetRequiredService<CallFlow>().Trouble(path);
                context.Response.StatusCode = StatusCodes.Status200OK;
                context.Response.ContentType = TwimlResult.ContentType;
                await context.Response.WriteAsync(answer.ToString());
            },
        });
}
