using System.Diagnostics;

namespace Fanout.Testing.Servers;

/// <summary>Stops and starts the real test servers (through <c>scripts/servers.sh</c>) for outage tests.</summary>
public static class ServersScript
{
    /// <summary>Runs <c>servers.sh {command} {server}</c> (e.g. <c>stop redis</c>) and fails when it does.</summary>
    public static async Task RunAsync(string command, string server)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(TestServers.ServersScript);
        start.ArgumentList.Add(command);
        start.ArgumentList.Add(server);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var errors = process.StandardError.ReadToEndAsync();
        await Eventually.WithinAsync(process.WaitForExitAsync().ContinueWith(_ => true, TaskScheduler.Default),
            $"servers.sh {command} {server}", TimeSpan.FromSeconds(120));
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"servers.sh {command} {server} exited {process.ExitCode}: {await output} {await errors}");
        }
    }
}
