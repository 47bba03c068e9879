using System.CommandLine;
using Microsoft.Extensions.Options;
using MiniCC.Reports;
using MiniCC.Storage;
using MiniCC.Voice;

namespace MiniCC.Cli;

/// <summary>The verbs of <c>minicc</c>. Each is a thin call into the rest of the application.</summary>
public static class MiniCCCommands
{
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("MiniCC: a small, complete inbound call center on Twilio. With no verb, runs the web server.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var serve = new Command("serve", "Run the web server that answers Twilio's webhooks (standard ASP.NET options such as --urls apply).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        serve.SetAction((result, ct) => ServeAsync(result.UnmatchedTokens.ToArray(), ct));
        root.SetAction((result, ct) => ServeAsync(result.UnmatchedTokens.ToArray(), ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(OperatorsCommand.Create());
        root.Subcommands.Add(MigrateCommand.Create());
        root.Subcommands.Add(RollupsCommand.Create());
        root.Subcommands.Add(ImportLegacyCommand.Create());
        root.Subcommands.Add(UsersCommand.Create());
        root.Subcommands.Add(StaffingCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(SimulateCommand.Create());
        return await root.Parse(args).InvokeAsync();
    }

    private static async Task<int> ServeAsync(string[] args, CancellationToken ct)
    {
        try
        {
            var app = WebServer.Build(args);
            await app.RunAsync(ct);
            return 0;
        }
        catch (Exception ex) when (Explain(ex) is { } message)
        {
            await Console.Error.WriteLineAsync("minicc: " + message);
            return 1;
        }
    }

    /// <summary>Runs a verb against the configured database (appsettings.json, environment, user secrets).</summary>
    internal static async Task<int> WithServicesAsync(Func<IServiceProvider, CancellationToken, Task<int>> verb, CancellationToken ct)
    {
        try
        {
            var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [] });
            builder.Logging.SetMinimumLevel(LogLevel.Warning);
            builder.Services.AddStorage(builder.Configuration);
            builder.Services.AddVoice(builder.Configuration);
            builder.Services.AddReports(builder.Configuration);
            using var host = builder.Build();
            var services = host.Services;
            _ = services.GetRequiredService<IOptions<Voice.VoiceOptions>>().Value;
            await services.GetRequiredService<Migrator>().MigrateOrExplainAsync(services.GetRequiredService<Database>(), ct);
            return await verb(services, ct);
        }
        catch (Exception ex) when (Explain(ex) is { } message)
        {
            await Console.Error.WriteLineAsync("minicc: " + message);
            return 1;
        }
    }

    /// <summary>The person-readable form of a start-up failure, or null for a real bug (which keeps its stack trace).</summary>
    private static string? Explain(Exception ex) => ex switch
    {
        StartupException s => s.Message,
        OptionsValidationException o => "invalid settings: " + string.Join(" ", o.Failures),
        AggregateException { InnerExceptions.Count: 1 } a => Explain(a.InnerException!),
        System.Data.Common.DbException db =>
            $"the database set by {DatabaseSettings.ConnectionStringKey} ({DatabaseSettings.ProviderKey}) failed: {db.Message}",
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
            io.Message + " (choose another with --urls http://127.0.0.1:PORT)",
        _ => null,
    };
}
