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
        // Set as the response starts, so that error pages (which clear the headers) carry them too.
        context.Response.OnStarting(static state =>
        {
            var headers = ((HttpResponse)state).Headers;
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        }, context.Response);
        return next(context);
    });
}
