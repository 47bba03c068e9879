using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace MiniCC.Tests;

/// <summary>The app, where a test says which address a request comes from (header X-Test-Remote; TestServer has none).</summary>
public sealed class RemoteAddressFactory(Dictionary<string, string?> settings) : MiniCCFactory(settings)
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        base.ConfigureWebHost(builder);
        builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, RemoteAddressFilter>());
    }

    private sealed class RemoteAddressFilter : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use((HttpContext context, RequestDelegate nextMiddleware) =>
            {
                if (context.Request.Headers.TryGetValue("X-Test-Remote", out var remote))
                {
                    context.Connection.RemoteIpAddress = IPAddress.Parse(remote.ToString());
                }

                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
