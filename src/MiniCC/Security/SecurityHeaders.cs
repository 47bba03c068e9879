namespace MiniCC.Security;

/// <summary>Headers on every response that keep the pages from running script they did not ship, being framed or being sniffed.</summary>
public static class SecurityHeaders
{
    /// <summary>
    /// Only this site's own files: the pages have no inline script, style or handler (styles are /css, scripts /js;
    /// Chart.js sizes its canvas through the CSSOM, which a policy does not restrict).
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; form-action 'self'";

    public static IApplicationBuilder UseSecurityHeaders(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        // Set as the response starts, so that error pages (which clear the headers) carry them too. By then routing has
        // chosen the endpoint, so a page that needs more (the desk talks to Twilio) can say so with its metadata.
        context.Response.OnStarting(static state =>
        {
            var context = (HttpContext)state;
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = context.GetEndpoint()?.Metadata.GetMetadata<ContentSecurityPolicyAttribute>()?.Policy ?? ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, context);
        return next(context);
    });
}

/// <summary>The Content-Security-Policy of one endpoint or page, in place of <see cref="SecurityHeaders.ContentSecurityPolicy"/>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class ContentSecurityPolicyAttribute(string policy) : Attribute
{
    public string Policy { get; } = policy;
}
