using System.CommandLine;
using Microsoft.Extensions.Options;
using MiniCC.Settings;
using MiniCC.Storage;

namespace MiniCC.Cli;

/// <summary>The verbs of <c>minicc</c>. Each is a thin call into the rest of the application.</summary>
public static class MiniCCCommands
{
    public static Task<int> RunAsync(string[] args) => RunAsync(args, CliContext.Process());

    /// <summary>Runs <paramref name="args"/> with <paramref name="cli"/>'s writers, input and settings (tests run verbs in-process this way).</summary>
    internal static async Task<int> RunAsync(string[] args, CliContext cli, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("MiniCC: a small, complete inbound call center on Twilio. With no verb, runs the web server.")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        var serve = new Command("serve", "Run the web server that answers Twilio's webhooks (standard ASP.NET options such as --urls apply).")
        {
            TreatUnmatchedTokensAsErrors = false,
        };
        // Recursive: `minicc operators list --config /etc/minicc/minicc.json` reads the same settings as the server.
        var config = new Option<string>("--config")
        {
            Description = $"A settings file (JSON, as appsettings.json) read after appsettings.json and before the environment; or set {ProcessFiles.ConfigVariable}.",
            Recursive = true,
        };
        root.Options.Add(config);
        serve.SetAction((result, ct) => ServeOrRefuseAsync(cli, result.UnmatchedTokens, null, ct));
        root.SetAction((result, ct) => ServeOrRefuseAsync(cli, result.UnmatchedTokens, root.Subcommands.Select(c => c.Name), ct));
        root.Subcommands.Add(serve);
        root.Subcommands.Add(OperatorsCommand.Create(cli));
        root.Subcommands.Add(MigrateCommand.Create(cli));
        root.Subcommands.Add(RollupsCommand.Create(cli));
        root.Subcommands.Add(ImportLegacyCommand.Create(cli));
        root.Subcommands.Add(UsersCommand.Create(cli));
        root.Subcommands.Add(StaffingCommand.Create(cli));
        root.Subcommands.Add(ReportCommand.Create(cli));
        root.Subcommands.Add(SimulateCommand.Create(cli));
        root.Subcommands.Add(MenuCommand.Create(cli));
        root.Subcommands.Add(BackupCommand.Create(cli));
        root.Subcommands.Add(RestoreCommand.Create(cli));
        var parsed = root.Parse(args);
        cli.ConfigFile = parsed.GetValue(config) ?? cli.ConfigFile;
        return await parsed.InvokeAsync(cli.Invocation(), cancellationToken);
    }

    /// <summary>Runs the web server with the host's arguments, unless one is a mistyped verb or option (<paramref name="verbs"/>: those a first word may be).</summary>
    private static async Task<int> ServeOrRefuseAsync(CliContext cli, IReadOnlyList<string> args, IEnumerable<string>? verbs, CancellationToken ct)
    {
        if (UnknownArguments.Find(args, verbs) is { } error)
        {
            return cli.Fail(error);
        }

        try
        {
            var app = WebServer.Build([.. args, .. cli.HostArgs(args)], cli.AddConfigFile);
            await app.RunAsync(ct);
            return 0;
        }
        catch (Exception ex) when (Explain(ex) is { } message)
        {
            return cli.Fail(message);
        }
    }

    /// <summary>Runs a verb against the configured database (appsettings.json, environment, user secrets, then <paramref name="cli"/>'s settings).</summary>
    internal static async Task<int> WithServicesAsync(CliContext cli, Func<IServiceProvider, CancellationToken, Task<int>> verb, CancellationToken ct)
    {
        try
        {
            using var host = BuildHost(cli);
            var services = host.Services;
            services.ValidateSettings();
            await services.GetRequiredService<Migrator>().MigrateOrExplainAsync(services.GetRequiredService<Database>(), ct);
            return await verb(services, ct);
        }
        catch (Exception ex) when (Explain(ex) is { } message)
        {
            return cli.Fail(message);
        }
    }

    /// <summary>MiniCC's services and settings as the server has them, without serving or touching the database.</summary>
    internal static IHost BuildHost(CliContext cli)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = cli.HostArgs() });
        cli.AddConfigFile(builder);
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.AddMiniCC(builder.Configuration);
        return builder.Build();
    }

    /// <summary>The person-readable form of a start-up failure, or null for a real bug (which keeps its stack trace).</summary>
    internal static string? Explain(Exception ex) => ex switch
    {
        StartupException s => s.Message,
        OptionsValidationException o => InvalidSettings([o]),
        // Several sections wrong at once: one line for all of them.
        AggregateException a when a.InnerExceptions.All(e => e is OptionsValidationException) =>
            InvalidSettings(a.InnerExceptions.Cast<OptionsValidationException>()),
        AggregateException { InnerExceptions.Count: 1 } a => Explain(a.InnerException!),
        System.Data.Common.DbException db =>
            $"the database set by {DatabaseSettings.ConnectionStringKey} ({DatabaseSettings.ProviderKey}) failed: {db.Message}",
        IOException io when io.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase) =>
            io.Message + " (choose another with --urls http://127.0.0.1:PORT)",
        _ => null,
    };

    /// <summary>Each failure names its key; one that two checks found (a section another's check reads) is said once.</summary>
    private static string InvalidSettings(IEnumerable<OptionsValidationException> failures) =>
        "invalid settings: " + string.Join(" ", failures.SelectMany(f => f.Failures).Distinct());
}
