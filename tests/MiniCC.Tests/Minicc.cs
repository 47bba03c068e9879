using System.Diagnostics;
using System.Text;
using Microsoft.Data.Sqlite;
using MiniCC.Cli;

namespace MiniCC.Tests;

/// <summary>
/// <c>minicc</c> as a person at a terminal runs it, in a working directory of its own, with <see cref="Environment"/>
/// as its environment variables. A verb runs in this process (<see cref="RunAsync"/>: the entry point with writers
/// and settings of its own, so tests run side by side); the real executable runs only where the process itself is
/// what a test looks at (<see cref="RunProcessAsync"/>, <see cref="ServeAsync"/>, <see cref="StartServerAsync"/>).
/// </summary>
public sealed class Minicc : IDisposable
{
    /// <summary>A bound, not a timing: on a loaded 2-core machine a verb that takes 4 s alone can take a minute.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(240);

    public Minicc()
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("minicc-cli-").FullName;
        DatabaseFile = Path.Combine(WorkingDirectory, "cli.db");
        Environment["ConnectionStrings__MiniCC"] = $"Data Source={DatabaseFile}";
    }

    public string WorkingDirectory { get; }

    /// <summary>The SQLite file minicc uses unless a test sets ConnectionStrings__MiniCC otherwise.</summary>
    public string DatabaseFile { get; }

    public Dictionary<string, string> Environment { get; } = [];

    public sealed record Result(int ExitCode, string Out, string Err);

    public Task<Result> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs a verb in this process, with <paramref name="input"/> as its standard input (a pipe, not a terminal).</summary>
    public async Task<Result> RunWithInputAsync(string? input, params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var stdin = new StringReader(input ?? "");
        var cli = new CliContext(output, error, stdin, inputRedirected: true) { Settings = ProcessSettings() };
        var exitCode = await MiniCCCommands.RunAsync(args, cli).WaitAsync(Bound);
        // As the process's exit would: SQLite's connections close and the file holds everything written.
        SqliteConnection.ClearAllPools();
        return new Result(exitCode, output.ToString(), error.ToString());
    }

    /// <summary>
    /// What a process started here would read from its environment and working directory: <see cref="Environment"/>
    /// (MiniCC__Key is the setting MiniCC:Key), the Development environment, no appsettings.json, the spool beside it.
    /// </summary>
    private Dictionary<string, string?> ProcessSettings()
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            ["applicationName"] = "minicc",
            ["environment"] = "Development",
            ["contentRoot"] = WorkingDirectory,
            ["MiniCC:SpoolDirectory"] = Path.Combine(WorkingDirectory, "spool"),
        };
        foreach (var (variable, value) in Environment)
        {
            settings[variable.Replace("__", ":", StringComparison.Ordinal)] = value;
        }

        return settings;
    }

    public ProcessStartInfo StartInfo(params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "minicc.dll"));
        foreach (var a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["DOTNET_ENVIRONMENT"] = "Development";
        psi.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        foreach (var (k, v) in Environment)
        {
            psi.Environment[k] = v;
        }

        return psi;
    }

    /// <summary>Runs the real executable to its exit.</summary>
    public async Task<Result> RunProcessAsync(params string[] args)
    {
        var psi = StartInfo(args);
        psi.RedirectStandardInput = true;
        using var process = Process.Start(psi)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Bound);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"minicc {string.Join(' ', args)} did not finish in {Bound.TotalSeconds} s");
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The exit code <see cref="ServeAsync"/> gives a server that started serving (it was then stopped).</summary>
    public const int Served = -1;

    /// <summary>
    /// Runs <c>minicc serve</c> until it stops by itself (a start-up check refused it) or answers /healthz (it was
    /// let through; it is then stopped and the exit code is <see cref="Served"/>), so neither outcome waits for a timeout.
    /// </summary>
    public async Task<Result> ServeAsync()
    {
        var port = FreePort();
        using var process = Process.Start(StartInfo("serve", "--urls", $"http://127.0.0.1:{port}"))!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        var served = false;
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        using var timeout = new CancellationTokenSource(Bound);
        while (!served && !process.HasExited && !timeout.IsCancellationRequested)
        {
            try
            {
                using var r = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                served = r.IsSuccessStatusCode;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
            }

            await Task.WhenAny(process.WaitForExitAsync(CancellationToken.None), Task.Delay(100, CancellationToken.None));
        }

        if (!process.HasExited)
        {
            process.Kill(entireProcessTree: true);
        }

        await process.WaitForExitAsync(CancellationToken.None);
        return new Result(served ? Served : process.ExitCode, await stdout, await stderr);
    }

    /// <summary>A running <c>minicc</c> server on <paramref name="port"/>, once its /healthz answers; its output is collected.</summary>
    public async Task<Server> StartServerAsync(int port, Action<ProcessStartInfo>? tweak = null)
    {
        var psi = StartInfo("--urls", $"http://127.0.0.1:{port}");
        tweak?.Invoke(psi);
        var server = new Server(Process.Start(psi)!);
        using var http = new HttpClient();
        for (var i = 0; i < 600 && !server.Process.HasExited; i++)
        {
            try
            {
                using var r = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz"));
                if (r.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(100);
        }

        await server.DisposeAsync();
        throw new TimeoutException("minicc did not start: " + server.Output);
    }

    /// <summary>A free loopback port.</summary>
    public static int FreePort()
    {
        using var l = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        return ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
    }

    /// <summary>A server process; disposing it kills it (as kill -9 does).</summary>
    public sealed class Server : IAsyncDisposable
    {
        private readonly List<string> _lines = [];

        public Server(Process process)
        {
            Process = process;
            process.OutputDataReceived += Collect;
            process.ErrorDataReceived += Collect;
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public Process Process { get; }

        public string Output
        {
            get
            {
                lock (_lines)
                {
                    return string.Join('\n', _lines);
                }
            }
        }

        public async Task KillAsync()
        {
            if (!Process.HasExited)
            {
                Process.Kill(entireProcessTree: true);
            }

            await Process.WaitForExitAsync();
        }

        public async ValueTask DisposeAsync()
        {
            await KillAsync();
            Process.Dispose();
        }

        private void Collect(object sender, DataReceivedEventArgs e)
        {
            if (e.Data is not null)
            {
                lock (_lines)
                {
                    _lines.Add(e.Data);
                }
            }
        }
    }

    public void Dispose()
    {
        try
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
