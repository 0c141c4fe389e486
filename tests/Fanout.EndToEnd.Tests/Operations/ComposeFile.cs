using System.Text.Json;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>compose/compose.yaml as <c>docker-compose config</c> resolves it (no Docker engine needed), as JSON.</summary>
internal static class ComposeFile
{
    public static string Directory => Path.Combine(ServiceBinaries.RepositoryRoot, "compose");

    public static string FilePath => Path.Combine(Directory, "compose.yaml");

    private static readonly Lazy<Task<JsonElement>> Default = new(() => ResolveAsync(new Dictionary<string, string>()));

    /// <summary>The compose file resolved with no variables set (every default), resolved once for all tests.</summary>
    public static Task<JsonElement> ResolveDefaultsAsync() => Default.Value;

    /// <summary>
    /// Runs <c>docker-compose -f compose/compose.yaml config</c> with only <paramref name="environment"/> set (no
    /// .env file, none of the test process's variables), fails with its output unless it is valid, and returns the
    /// resolved file as JSON.
    /// </summary>
    public static async Task<JsonElement> ResolveAsync(IReadOnlyDictionary<string, string> environment)
    {
        var emptyEnvFile = Path.GetTempFileName();
        try
        {
            var config = await HostTools.RunAsync(HostTools.DockerCompose, ["-f", FilePath, "--env-file", emptyEnvFile, "config"],
                environment: environment, cleanEnvironment: true, workingDirectory: Directory);
            if (config.ExitCode != 0)
            {
                throw new InvalidOperationException($"docker-compose config refused compose/compose.yaml: {config.Describe()}");
            }

            var json = await HostTools.RunAsync(HostTools.Python,
                ["-c", "import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], standardInput: config.Output);
            if (json.ExitCode != 0)
            {
                throw new InvalidOperationException($"Could not turn the resolved compose file into JSON: {json.Describe()}");
            }

            using var document = JsonDocument.Parse(json.Output);
            return document.RootElement.Clone();
        }
        finally
        {
            File.Delete(emptyEnvFile);
        }
    }

    public static IEnumerable<(string Name, JsonElement Service)> Services(this JsonElement compose) =>
        compose.GetProperty("services").EnumerateObject().Select(p => (p.Name, p.Value));

    public static JsonElement Service(this JsonElement compose, string name) => compose.GetProperty("services").GetProperty(name);

    /// <summary>A service's environment variable (docker-compose config writes the environment as a mapping).</summary>
    public static string? Env(this JsonElement service, string name) =>
        service.TryGetProperty("environment", out var env) && env.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText()
            : null;

    /// <summary>Whether the service runs only with a profile (<c>--profile monitoring</c>), not by default.</summary>
    public static bool InProfile(this JsonElement service) =>
        service.TryGetProperty("profiles", out var profiles) && profiles.GetArrayLength() > 0;

    public static IReadOnlyDictionary<string, string> DependsOn(this JsonElement service) =>
        service.TryGetProperty("depends_on", out var depends)
            ? depends.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetProperty("condition").GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>();
}
