using System.Diagnostics;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>Runs a built service until it exits by itself (it must, within a minute): its exit code and its stderr lines.</summary>
public static class StartupRun
{
    public static async Task<(int Code, List<string> Errors)> RunAsync(
        string assembly, string environment, IReadOnlyDictionary<string, string> settings)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(ServiceBinaries.PathOf(assembly));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{FreePort.Next()}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = environment;
        foreach (var (key, value) in settings)
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        using var process = Process.Start(start)!;
        var errors = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"{assembly} did not stop by itself within a minute.");
        }

        return (process.ExitCode, (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
    }
}
