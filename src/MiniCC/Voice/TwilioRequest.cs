using System.Buffers;
using System.Text;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
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

    private const int MaxFields = 256;
    private const int MaxNameLength = 256;
    private const int MaxValueLength = 16 * 1024;

    private TwilioRequest(VoiceWebhook? parameters, string? error, int statusCode, IReadOnlyList<KeyValuePair<string, string>>? form = null)
    {
        Parameters = parameters;
        Error = error;
        StatusCode = statusCode;
        SignedForm = form ?? [];
    }

    /// <summary>
    /// Every POSTed form field as received, in order, repeats included and names exactly as sent:
    /// what X-Twilio-Signature covers. <c>Foo</c> and <c>foo</c> are two fields here, as they are to Twilio.
    /// </summary>
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
        List<KeyValuePair<string, string>> fields;
        List<KeyValuePair<string, string>>? form = null;
        if (HttpMethods.IsGet(request.Method))
        {
            // The raw query, pair by pair: request.Query would merge names that differ only in case.
            try
            {
                fields = ReadPairs(request.QueryString.Value ?? "");
            }
            catch (InvalidDataException ex)
            {
                return Fail(StatusCodes.Status400BadRequest, "The query string is malformed: " + ex.Message);
            }
        }
        else
        {
            // Twilio posts url-encoded forms only; multipart would need its own parser and signing rules.
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var type) ||
                !type.MediaType.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
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
                if (await ReadBodyAsync(request.Body, context.RequestAborted) is not { } body)
                {
                    return Fail(StatusCodes.Status413PayloadTooLarge, $"The body is larger than {MaxBodyBytes} bytes.");
                }

                form = ReadPairs(body);
                fields = form;
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

        // Grouped by exact name: a known parameter is matched only as Twilio spells it (CallSid, not callsid),
        // and Foo and foo stay two unknown parameters.
        var parsed = VoiceWebhook.Parse(fields
            .GroupBy(f => f.Key, StringComparer.Ordinal)
            .Select(g => KeyValuePair.Create(g.Key, (IReadOnlyList<string?>)g.Select(f => (string?)f.Value).ToArray())));
        return parsed.Webhook is { } hook
            ? new TwilioRequest(hook with { IdempotencyToken = IdempotencyToken(request) }, null, StatusCodes.Status200OK, form)
            : new TwilioRequest(null, parsed.Error, StatusCodes.Status400BadRequest, form);
    }

    /// <summary>
    /// Twilio marks each webhook delivery with I-Twilio-Idempotency-Token (seen in captures, not documented); a retry
    /// carries the same token, so an event without a natural key is still stored once. One value of 1–64 characters, or none.
    /// </summary>
    private static string? IdempotencyToken(HttpRequest request) =>
        request.Headers["I-Twilio-Idempotency-Token"] is { Count: 1 } t && t.ToString() is { Length: > 0 and <= 64 } token ? token : null;

    /// <summary>The whole body as text, read once; null when it is larger than <see cref="MaxBodyBytes"/> (chunked bodies have no length to check first).</summary>
    private static async Task<string?> ReadBodyAsync(Stream body, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(MaxBodyBytes + 1);
        try
        {
            var length = 0;
            int read;
            while ((read = await body.ReadAsync(buffer.AsMemory(length, MaxBodyBytes + 1 - length), ct)) > 0)
            {
                length += read;
                if (length > MaxBodyBytes)
                {
                    return null;
                }
            }

            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// The pairs of an url-encoded text (a form body or a query) in order, names exactly as sent
    /// (an ordinal list, never a dictionary); too many or too long fields throw <see cref="InvalidDataException"/>.
    /// </summary>
    private static List<KeyValuePair<string, string>> ReadPairs(string text)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var pair in new QueryStringEnumerable(text))
        {
            if (pairs.Count == MaxFields)
            {
                throw new InvalidDataException($"more than {MaxFields} fields.");
            }

            var name = pair.DecodeName().ToString();
            var value = pair.DecodeValue().ToString();
            if (name.Length > MaxNameLength || value.Length > MaxValueLength)
            {
                throw new InvalidDataException($"a field name is longer than {MaxNameLength} characters or a value longer than {MaxValueLength}.");
            }

            pairs.Add(KeyValuePair.Create(name, value));
        }

        return pairs;
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
