using System.Diagnostics;
using System.Text;

namespace MiniCC.Tests;

/// <summary>Runs the real <c>minicc</c> executable, as a person at a terminal would.</summary>
public sealed class Minicc : IDisposable
{
    public Minicc()
    {
        WorkingDirectory = Directory.CreateTempSubdirectory("minicc-cli-").FullName;
        Environment["ConnectionStrings__MiniCC"] = $"Data Source={Path.Combine(WorkingDirectory, "cli.db")}";
    }

    public string WorkingDirectory { get; }

    public Dictionary<string, string> Environment { get; } = [];

    public sealed record Result(int ExitCode, string Out, string Err);

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

    public Task<Result> RunAsync(params string[] args) => RunWithInputAsync(null, args);

    /// <summary>Runs minicc with <paramref name="input"/> on its standard input.</summary>
    public async Task<Result> RunWithInputAsync(string? input, params string[] args)
    {
        var psi = StartInfo(args);
        psi.RedirectStandardInput = true;
        using var process = Process.Start(psi)!;
        if (input is not null)
        {
            await process.StandardInput.WriteAsync(input);
        }

        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // A bound, not a timing: on a loaded 2-core machine a verb that takes 4 s alone can take a minute.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"minicc {string.Join(' ', args)} did not finish in 240 s");
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
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(240));
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
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(WorkingDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
