using System.Diagnostics;

namespace Fanout.Testing.Stack;

/// <summary>
/// One service running as its own process on 127.0.0.1, so tests can stop it gracefully (SIGTERM), kill it
/// outright, and start it again with the same settings. Output goes to a log file under <c>.run/test-logs</c>.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly string _assembly;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private Process? _process;
    private StreamWriter? _log;

    public ServiceProcess(string name, string assembly, int port, IReadOnlyDictionary<string, string> settings)
    {
        Name = name;
        _assembly = assembly;
        Port = port;
        _settings = settings;
        LogPath = Path.Combine(ServiceBinaries.RepositoryRoot, ".run", "test-logs", $"{DateTime.UtcNow:yyyyMMdd-HHmmss}-{name}-{port}.log");
    }

    public string Name { get; }

    public int Port { get; }

    public string LogPath { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public int? ProcessId => _process is { HasExited: false } ? _process.Id : null;

    public bool IsRunning => _process is { HasExited: false };

    public void Start()
    {
        if (IsRunning)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
        _log ??= new StreamWriter(new FileStream(LogPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var dll = ServiceBinaries.PathOf(_assembly);
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(dll)!,
        };
        start.ArgumentList.Add(dll);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(BaseAddress.ToString().TrimEnd('/'));
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        start.Environment["DOTNET_gcServer"] = "0";
        foreach (var (key, value) in _settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var log = _log;
        process.OutputDataReceived += (_, e) => Write(log, e.Data);
        process.ErrorDataReceived += (_, e) => Write(log, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        Write(log, $"---- started {Name} pid {process.Id} ----");
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200.</summary>
    public Task WaitReadyAsync(TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(
            async () =>
            {
                if (_process is { HasExited: true })
                {
                    throw new InvalidOperationException($"{Name} exited with code {_process.ExitCode}; see {LogPath}");
                }

                try
                {
                    using var response = await Http.GetAsync(new Uri(BaseAddress, "/health/ready"));
                    return response.IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
                catch (TaskCanceledException)
                {
                    return false;
                }
            },
            $"{Name} ready (log: {LogPath})",
            timeout ?? TimeSpan.FromSeconds(90));

    /// <summary>SIGKILL: the process gets no chance to clean up.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Write(_log, $"---- killed {Name} ----");
        }
    }

    /// <summary>SIGSTOP: the process freezes (no heartbeats, no I/O) as if cut off from the network, until <see cref="ResumeAsync"/>.</summary>
    public Task PauseAsync() => SignalAsync("-STOP", "paused");

    /// <summary>SIGCONT after <see cref="PauseAsync"/>.</summary>
    public Task ResumeAsync() => SignalAsync("-CONT", "resumed");

    private async Task SignalAsync(string signal, string what)
    {
        if (_process is { HasExited: false } process)
        {
            using var kill = Process.Start("kill", [signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            Write(_log, $"---- {what} {Name} ----");
        }
    }

    /// <summary>SIGTERM and wait for a graceful exit (killed if it takes longer than <paramref name="timeout"/>).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        using (var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            await KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        if (_log is not null)
        {
            await _log.DisposeAsync();
        }
    }

    private static void Write(StreamWriter? log, string? line)
    {
        if (line is null || log is null)
        {
            return;
        }

        lock (log)
        {
            log.WriteLine(line);
        }
    }
}
