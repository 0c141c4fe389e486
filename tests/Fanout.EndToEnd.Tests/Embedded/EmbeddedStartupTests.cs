using System.Diagnostics;
using System.Security.Cryptography;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Embedded;

/// <summary>A data directory or a database file the embedded process cannot use stops it at start with one line, touching nothing.</summary>
public sealed class EmbeddedStartupTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "fanout-start-" + Guid.NewGuid().ToString("N")[..12]);

    public EmbeddedStartupTests() => Directory.CreateDirectory(_root);

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task ADataDirectoryThatCannotBeCreatedStopsTheStartWithOneLineNamingIt()
    {
        var file = Path.Combine(_root, "a-file");
        await File.WriteAllTextAsync(file, "not a directory");
        var directory = Path.Combine(file, "data");

        var (code, errors) = await RunAsync(directory);

        code.ShouldBe(2);
        errors.ShouldHaveSingleItem().ShouldContain($"The data directory {directory} cannot be created");
    }

    [Fact]
    public async Task ADatabaseInUseByAnotherProcessStopsTheStartWithOneLineNamingTheHolder()
    {
        var directory = Path.Combine(_root, "data");
        var first = new ServiceProcess("embedded-first", "Fanout.Embedded", FreePort.Next(), Settings(directory));
        await using (first)
        {
            first.Start();
            await first.WaitReadyAsync();

            var (code, errors) = await RunAsync(directory);

            code.ShouldBe(2);
            errors.ShouldHaveSingleItem().ShouldContain($"is in use by another process (pid {first.ProcessId})");
            using var ready = await new HttpClient().GetAsync(new Uri(first.BaseAddress, "/health/ready"));
            ready.IsSuccessStatusCode.ShouldBeTrue("the first process goes on");
        }
    }

    [Fact]
    public async Task ADamagedDatabaseFileStopsTheStartNamesTheFileAndIsLeftUntouched()
    {
        var directory = Path.Combine(_root, "data");
        Directory.CreateDirectory(directory);
        var database = Path.Combine(directory, "fanout.db");
        await File.WriteAllBytesAsync(database, RandomNumberGenerator.GetBytes(64 * 1024));
        var before = SHA256.HashData(await File.ReadAllBytesAsync(database));

        var (code, errors) = await RunAsync(directory);

        code.ShouldBe(2);
        errors.ShouldHaveSingleItem().ShouldContain($"The history database {database} is damaged or not a Fanout database");
        SHA256.HashData(await File.ReadAllBytesAsync(database)).ShouldBe(before);
        File.Exists(database + "-wal").ShouldBeFalse();
    }

    private static Dictionary<string, string> Settings(string directory) => new()
    {
        ["Sqlite:DataDirectory"] = directory,
        ["Ingest:ApiKeys:0:Name"] = "test",
        ["Ingest:ApiKeys:0:Key"] = FanoutStack.ApiKey,
        ["Auth:Jwt:SigningKey"] = FanoutStack.SigningKey,
    };

    /// <summary>Runs the embedded process until it exits (it must, within a minute); its exit code and its stderr lines.</summary>
    private static async Task<(int Code, List<string> Errors)> RunAsync(string directory)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        start.ArgumentList.Add(ServiceBinaries.PathOf("Fanout.Embedded"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add($"http://127.0.0.1:{FreePort.Next()}");
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Testing";
        foreach (var (key, value) in Settings(directory))
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
            throw new InvalidOperationException("The embedded process did not stop by itself within a minute.");
        }

        return (process.ExitCode, (await errors).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList());
    }
}
