using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// A real nginx process running compose/nginx.conf (rendered by <see cref="NginxConfig.Render"/>) in front of local
/// realtime nodes, in the foreground (<c>daemon off</c>, as the nginx image runs it), stopped by its pid.
/// </summary>
internal sealed partial class NginxProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private NginxProcess(Process process, string directory, int port)
    {
        _process = process;
        Directory = directory;
        Port = port;
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
    }

    /// <summary>Holds the rendered nginx.conf, the logs and the temp folders; deleted on dispose.</summary>
    public string Directory { get; }

    public int Port { get; }

    public Uri BaseAddress => new($"http://127.0.0.1:{Port}");

    public Uri HubUrl => new(BaseAddress, "/hubs/rooms");

    public string ConfigPath => Path.Combine(Directory, "nginx.conf");

    public string AccessLogPath => Path.Combine(Directory, "access.log");

    /// <summary>A temp directory the nginx workers (user nobody) can traverse, for a rendered config.</summary>
    public static string CreateDirectory()
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("fanout-nginx-").FullName;
        if (OperatingSystem.IsWindows())
        {
            throw new PlatformNotSupportedException("nginx tests run on Linux");
        }

        File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        return directory;
    }

    /// <summary><c>nginx -t</c> of a rendered config: the exit code and what nginx printed.</summary>
    public static Task<ToolResult> TestConfigAsync(string directory) =>
        HostTools.RunAsync(HostTools.Nginx, ["-t", "-p", directory + "/", "-e", "stderr", "-c", Path.Combine(directory, "nginx.conf")]);

    /// <summary>Starts nginx with compose/nginx.conf in front of <paramref name="nodes"/> and waits until it answers.</summary>
    public static async Task<NginxProcess> StartAsync(IReadOnlyList<ServiceProcess> nodes)
    {
        var nginx = HostTools.Nginx;
        var directory = CreateDirectory();
        var port = FreePort.Next();
        var config = NginxConfig.Render(NginxConfig.ReadCompose(), nodes.Select(n => $"127.0.0.1:{n.Port}").ToList(), $"127.0.0.1:{port}", directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "nginx.conf"), config);

        var start = new ProcessStartInfo(nginx)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-p", directory + "/", "-e", "stderr", "-c", Path.Combine(directory, "nginx.conf"), "-g", "daemon off;" })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("nginx did not start");
        var instance = new NginxProcess(process, directory, port);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await Eventually.HoldsAsync(
                async () =>
                {
                    if (process.HasExited)
                    {
                        throw new InvalidOperationException($"nginx exited with code {process.ExitCode}: {instance.Output}");
                    }

                    try
                    {
                        using var response = await Http.GetAsync(new Uri(instance.BaseAddress, "/nginx-health"));
                        return response.IsSuccessStatusCode;
                    }
                    catch (HttpRequestException)
                    {
                        return false;
                    }
                },
                "nginx answers /nginx-health",
                TimeSpan.FromSeconds(20));
            return instance;
        }
        catch
        {
            await instance.DisposeAsync();
            throw;
        }
    }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The access log so far: one entry per finished request.</summary>
    public IReadOnlyList<AccessLogEntry> ReadAccessLog()
    {
        if (!File.Exists(AccessLogPath))
        {
            return [];
        }

        using var stream = new FileStream(AccessLogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var entries = new List<AccessLogEntry>();
        while (reader.ReadLine() is { } line)
        {
            var match = AccessLogLine().Match(line);
            if (!match.Success)
            {
                throw new InvalidOperationException($"Unexpected access log line (log_format fanout changed?): {line}");
            }

            entries.Add(new AccessLogEntry(match.Groups["client"].Value, match.Groups["method"].Value, match.Groups["uri"].Value,
                int.Parse(match.Groups["status"].Value, CultureInfo.InvariantCulture),
                match.Groups["upstream"].Value.Split(", ", StringSplitOptions.RemoveEmptyEntries)));
        }

        return entries;
    }

    /// <summary>SIGTERM to the master process (nginx's fast shutdown), SIGKILL to it and its workers if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    // log_format fanout in compose/nginx.conf.
    [GeneratedRegex("""^(?<client>\S+) \[[^\]]*\] "(?<method>\S+) (?<uri>\S+) [^"]*" (?<status>\d{3}) \d+ \S+ upstream=(?<upstream>.*) upstream_status=.*$""")]
    private static partial Regex AccessLogLine();
}

/// <summary>One request as nginx logged it; <see cref="Upstreams"/> lists every node tried, the last one answered.</summary>
internal sealed record AccessLogEntry(string Client, string Method, string Uri, int Status, IReadOnlyList<string> Upstreams)
{
    public string? Upstream => Upstreams is [.., var last] && last != "-" ? last : null;
}
