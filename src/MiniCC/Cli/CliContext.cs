using System.CommandLine;

namespace MiniCC.Cli;

/// <summary>
/// What a verb runs with: where it reports (a result on standard output, exit 0, or "minicc: reason" on standard
/// error, exit 1), where it reads a password from, and settings over those of the environment. The process has its
/// console and environment; tests run many verbs at once in one process, each with writers and settings of its own.
/// </summary>
internal sealed class CliContext(TextWriter output, TextWriter error, TextReader input, bool inputRedirected)
{
    /// <summary>The process's own console, environment and working directory: what <c>minicc</c> runs with.</summary>
    public static CliContext Process() =>
        new(Console.Out, Console.Error, Console.In, Console.IsInputRedirected)
        {
            IsProcess = true,
            ConfigFile = Environment.GetEnvironmentVariable(ProcessFiles.ConfigVariable),
        };

    public TextWriter Out => output;

    public TextWriter Error => error;

    public TextReader In => input;

    /// <summary>Standard input is a pipe or a file, not a person at a terminal: a password is read from it, not asked for.</summary>
    public bool InputRedirected => inputRedirected;

    /// <summary>
    /// Settings that win over appsettings.json and the environment: configuration keys (<c>MiniCC:QueueName</c>) and
    /// the host's own (<c>contentRoot</c>, <c>environment</c>). A test gives a verb this way what a process gets from its environment.
    /// </summary>
    public IReadOnlyDictionary<string, string?> Settings { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// The site's settings file (<c>--config</c>, else <c>MINICC_CONFIG</c>). Settable: <c>--config</c> is known only once
    /// the command line is parsed, after the verbs (which hold this context) are made.
    /// </summary>
    public string? ConfigFile { get; set; }

    /// <summary>
    /// The settings as a host's command-line arguments, which the host reads last (so they win) and for its own settings
    /// too; for the process, also the content root (its files beside the binary) unless <paramref name="given"/> names one.
    /// </summary>
    public string[] HostArgs(IReadOnlyList<string>? given = null)
    {
        string[] settings = [.. Settings.Select(s => $"--{s.Key}={s.Value}")];
        return IsProcess ? [.. settings, .. ProcessFiles.ContentRoot([.. given ?? [], .. settings], Environment.GetEnvironmentVariable)] : settings;
    }

    /// <summary>Adds the site's settings file, if any, to a host's configuration.</summary>
    public void AddConfigFile(IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ProcessFiles.AddConfigFile(builder.Configuration, ConfigFile);
    }

    /// <summary>Help and parse errors go to these writers; only the process itself answers Ctrl+C and SIGTERM.</summary>
    public InvocationConfiguration Invocation()
    {
        var invocation = new InvocationConfiguration { Output = output, Error = error };
        if (!IsProcess)
        {
            invocation.ProcessTerminationTimeout = null;
        }

        return invocation;
    }

    private bool IsProcess { get; init; }

    public int Ok(string message)
    {
        output.WriteLine(message);
        return 0;
    }

    public int Fail(string message)
    {
        error.WriteLine("minicc: " + message);
        return 1;
    }
}
