namespace Fanout.Testing.Stack;

/// <summary>
/// Finds the built service assemblies: <c>services/&lt;Folder&gt;/bin/&lt;Configuration&gt;/net10.0/&lt;Assembly&gt;.dll</c> under the
/// repository root, or under <c>FANOUT_ARTIFACTS_PATH</c> when the solution was built with <c>--artifacts-path</c>.
/// </summary>
public static class ServiceBinaries
{
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    public static string PathOf(string assemblyName)
    {
        var folder = assemblyName switch
        {
            "Fanout.Ingest" => "Ingest",
            "Fanout.Sequencer" => "Fanout",
            "Fanout.Realtime" => "Realtime",
            "Fanout.Presence" => "Presence",
            "Fanout.Embedded" => "Embedded",
            _ => throw new ArgumentOutOfRangeException(nameof(assemblyName), assemblyName, "Unknown service"),
        };

        var candidates = new List<string>();
        if (Environment.GetEnvironmentVariable("FANOUT_ARTIFACTS_PATH") is { Length: > 0 } artifacts)
        {
            candidates.Add(Path.Combine(artifacts, "bin", assemblyName, "debug", assemblyName + ".dll"));
            candidates.Add(Path.Combine(artifacts, "bin", assemblyName, "release", assemblyName + ".dll"));
        }

        foreach (var configuration in new[] { "Debug", "Release" })
        {
            candidates.Add(Path.Combine(RepositoryRoot, "services", folder, "bin", configuration, "net10.0", assemblyName + ".dll"));
        }

        return candidates.Where(File.Exists).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            ?? throw new FileNotFoundException(
                $"{assemblyName}.dll is not built. Build the solution first (scripts/test.sh does). Looked in: {string.Join(", ", candidates)}");
    }

    private static string FindRepositoryRoot()
    {
        if (Environment.GetEnvironmentVariable("FANOUT_REPO_ROOT") is { Length: > 0 } root)
        {
            return root;
        }

        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Fanout.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName
            ?? throw new InvalidOperationException("Cannot find the repository root (Fanout.sln) above the test binaries; set FANOUT_REPO_ROOT.");
    }
}
