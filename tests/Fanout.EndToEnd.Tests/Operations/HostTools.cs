using System.Diagnostics;
using System.Text;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// The host programs the operations tests drive (nginx, docker-compose, python3): found on the PATH or in the sbin
/// folders, or a failure that says how to install them. No Docker engine is needed: these tests never run a container.
/// </summary>
internal static class HostTools
{
    public static string Nginx => Require("nginx", "nginx-light");

    public static string DockerCompose => Require("docker-compose", "docker-compose");

    /// <summary>python3 with PyYAML (a dependency of Debian's docker-compose), to turn its YAML output into JSON.</summary>
    public static string Python => Require("python3", "python3-yaml");

    private static string Require(string name, string package)
    {
        var path = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/bin", "/sbin", "/bin", "/usr/local/bin", "/usr/local/sbin"])
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
        return path ?? throw new InvalidOperationException(
            $"'{name}' is not installed, and the operations tests need it: apt-get install -y --no-install-recommends {package} " +
            "(scripts/servers.sh start installs it for the test profile).");
    }

    /// <summary>Runs a program to its end (killed after <paramref name="timeout"/>) and returns its exit code and output.</summary>
    public static async Task<ToolResult> RunAsync(string program, IEnumerable<string> arguments, string? standardInput = null,
        IReadOnlyDictionary<string, string>? environment = null, bool cleanEnvironment = false, string? workingDirectory = null,
        TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        if (cleanEnvironment)
        {
            var keep = new[] { "PATH", "HOME", "LANG", "LC_ALL" };
            foreach (var key in start.Environment.Keys.Where(k => !keep.Contains(k, StringComparer.Ordinal)).ToList())
            {
                start.Environment.Remove(key);
            }
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[key] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
        }

        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} {string.Join(' ', start.ArgumentList)} did not finish in time");
        }

        return new ToolResult(process.ExitCode, await output, await error);
    }
}

internal sealed record ToolResult(int ExitCode, string Output, string Error)
{
    public string Describe() => new StringBuilder().Append("exit code ").Append(ExitCode)
        .Append("\n--- stdout\n").Append(Output).Append("\n--- stderr\n").Append(Error).ToString();
}
