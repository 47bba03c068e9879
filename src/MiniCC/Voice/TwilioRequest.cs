using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using MiniCC.Twilio.Webhooks;

namespace MiniCC.Voice;

/// <summary>
/// A webhook's parameters, bound from the form (POST) or the query (GET). Binding never throws:
/// a request that is not a Twilio webhook carries <see cref="Error"/> and <see cref="StatusCode"/>,
/// and <see cref="WebhookFilter"/> answers it with a 4xx and the reason.
/// </summary>
public sealed class TwilioRequest
{
    /// <summary>Twilio's largest TwiML fetch is far below this; anything bigger is not Twilio.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    private static readonly FormOptions FormLimits = new()
    {
        BufferBody = false,
        ValueCountLimit = 256,
        KeyLengthLimit = 256,
        ValueLengthLimit = 16 * 1024,
        MultipartBodyLengthLimit = MaxBodyBytes,
    };

    private TwilioRequest(VoiceWebhook? parameters, string? error, int statusCode, IReadOnlyList<KeyValuePair<string, string>>? form = null)
    {
        Parameters = parameters;
        Error = error;
        StatusCode = statusCode;
        SignedForm = form ?? [];
    }

    /// <summary>Every POSTed form field as received (repeats included): what X-Twilio-Signature covers.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> SignedForm { get; }

    public VoiceWebhook? Parameters { get; }

    public string? Error { get; }

    public int StatusCode { get; }

    /// <summary>The parsed parameters; only valid after <see cref="WebhookFilter"/> let the request through.</summary>
    public VoiceWebhook Hook => Parameters ?? throw new InvalidOperationException(Error);

    public static async ValueTask<TwilioRequest?> BindAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var request = context.Request;
        IEnumerable<KeyValuePair<string, StringValues>> fields;
        List<KeyValuePair<string, string>>? form = null;
        if (HttpMethods.IsGet(request.Method))
        {
            fields = request.Query;
        }
        else
        {
            if (!request.HasFormContentType)
            {
                return Fail(StatusCodes.Status415UnsupportedMediaType,
                    "Twilio webhooks are application/x-www-form-urlencoded POSTs (or GETs with a query string).");
            }

            if (request.ContentLength > MaxBodyBytes)
            {
                return Fail(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes.");
            }

            var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
            if (sizeFeature is { IsReadOnly: false })
            {
                sizeFeature.MaxRequestBodySize = MaxBodyBytes;
            }

            try
            {
                var read = await request.ReadFormAsync(FormLimits, context.RequestAborted);
                fields = read;
                form = [.. read.SelectMany(f => f.Value.Select(v => KeyValuePair.Create(f.Key, v ?? "")))];
            }
            catch (InvalidDataException ex)
            {
                return Fail(StatusCodes.Status400BadRequest, "The form data is malformed: " + ex.Message);
            }
            catch (BadHttpRequestException ex)
            {
                return Fail(ex.StatusCode is >= 400 and < 500 ? ex.StatusCode : 400, "The request body could not be read: " + ex.Message);
            }
            catch (IOException ex)
            {
                return Fail(StatusCodes.Status400BadRequest, "The request body could not be read: " + ex.Message);
            }
        }

        var parsed = VoiceWebhook.Parse(fields.Select(f =>
            KeyValuePair.Create(f.Key, (IReadOnlyList<string?>)f.Value.ToArray())));
        return parsed.Webhook is { } hook
            ? new TwilioRequest(hook, null, StatusCodes.Status200OK, form)
            : new TwilioRequest(null, parsed.Error, StatusCodes.Status400BadRequest, form);
    }

    private static TwilioRequest Fail(int status, string error) => new(null, error, status);
}

/// <summary>Answers requests that are not valid webhooks with their 4xx and reason, before any flow runs.</summary>
public sealed partial class WebhookFilter(ILogger<WebhookFilter> log) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        foreach (var argument in context.Arguments)
        {
            if (argument is TwilioRequest { Error: { } error } bad)
            {
                Rejected(log, context.HttpContext.Request.Path, bad.StatusCode, error);
                return Results.Text(error + "\n", "text/plain; charset=utf-8", statusCode: bad.StatusCode);
            }

            if (argument is TwilioRequest { Parameters.Ignored.Count: > 0 } odd)
            {
                MalformedIgnored(log, context.HttpContext.Request.Path, string.Join(", ", odd.Hook.Ignored));
            }
        }

        return await next(context);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rejected webhook {Path} with {Status}: {Reason}")]
    private static partial void Rejected(ILogger logger, string path, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {Path}: malformed parameters treated as absent: {Names}")]
    private static partial void MalformedIgnored(ILogger logger, string path, string names);
}
