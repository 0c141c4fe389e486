using System.Text.RegularExpressions;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Operations;

/// <summary>
/// compose/compose.yaml, the Dockerfiles and .dockerignore, checked without a Docker engine: the compose file is
/// validated and resolved by Debian's docker-compose 1.29 (<c>config</c>), the Dockerfiles are read. Nothing here
/// builds an image or starts a container.
/// </summary>
public sealed partial class ComposeFileTests
{
    private static readonly string[] DotnetServices = ["ingest", "fanout-1", "fanout-2", "presence", "realtime-1", "realtime-2"];

    private static readonly Dictionary<string, (string Folder, string Assembly)> Images = new(StringComparer.Ordinal)
    {
        ["ingest"] = ("Ingest", "Fanout.Ingest"),
        ["fanout-1"] = ("Fanout", "Fanout.Sequencer"),
        ["fanout-2"] = ("Fanout", "Fanout.Sequencer"),
        ["presence"] = ("Presence", "Fanout.Presence"),
        ["realtime-1"] = ("Realtime", "Fanout.Realtime"),
        ["realtime-2"] = ("Realtime", "Fanout.Realtime"),
    };

    [Fact]
    public async Task TheComposeFileIsValidAndEveryServiceIsHealthCheckedAndStartsAfterWhatItNeedsIsHealthy()
    {
        var compose = await ComposeFile.ResolveDefaultsAsync();
        compose.Services().Where(s => !s.Service.InProfile()).Select(s => s.Name).Order(StringComparer.Ordinal).ShouldBe(
            ["fanout-1", "fanout-2", "ingest", "nginx", "postgres", "presence", "rabbitmq", "realtime-1", "realtime-2", "redis"]);

        foreach (var (name, service) in compose.Services())
        {
            service.TryGetProperty("healthcheck", out var health).ShouldBeTrue($"{name} has a healthcheck");
            health.TryGetProperty("disable", out var disabled).ShouldBe(false, $"{name}'s healthcheck is not disabled ({disabled})");
            health.GetProperty("test").EnumerateArray().Select(t => t.GetString()).First().ShouldBeOneOf("CMD", "CMD-SHELL");
            foreach (var (dependency, condition) in service.DependsOn())
            {
                condition.ShouldBe("service_healthy", $"{name} waits until {dependency} is healthy");
            }
        }

        // What each part needs is healthy before it starts (docs/configuration.md: who reads which connection string).
        compose.Service("ingest").DependsOn().Keys.ShouldBe(["postgres", "rabbitmq", "redis"], ignoreOrder: true);
        compose.Service("fanout-1").DependsOn().Keys.ShouldBe(["postgres", "rabbitmq"], ignoreOrder: true);
        compose.Service("fanout-2").DependsOn().Keys.ShouldBe(["postgres", "rabbitmq"], ignoreOrder: true);
        compose.Service("presence").DependsOn().Keys.ShouldBe(["rabbitmq", "redis"], ignoreOrder: true);
        compose.Service("realtime-1").DependsOn().Keys.ShouldBe(["postgres", "rabbitmq", "redis"], ignoreOrder: true);
        compose.Service("realtime-2").DependsOn().Keys.ShouldBe(["postgres", "rabbitmq", "redis"], ignoreOrder: true);
        compose.Service("nginx").DependsOn().Keys.ShouldBe(["realtime-1", "realtime-2"], ignoreOrder: true);
    }

    [Fact]
    public async Task TheNodesAndSequencersAreConfiguredAsOneClusterOfDistinctMembers()
    {
        var compose = await ComposeFile.ResolveDefaultsAsync();
        var nodeIds = new[] { "realtime-1", "realtime-2" }.Select(n => compose.Service(n).Env("Realtime__NodeId")).ToList();
        nodeIds.ShouldAllBe(id => !string.IsNullOrEmpty(id));
        nodeIds.Distinct().Count().ShouldBe(2, "each realtime node has its own Realtime:NodeId");

        compose.Service("fanout-1").Env("Sequencer__InstanceIndex").ShouldBe("0");
        compose.Service("fanout-2").Env("Sequencer__InstanceIndex").ShouldBe("1");
        compose.Service("fanout-1").Env("Sequencer__InstanceCount").ShouldBe("2");
        compose.Service("fanout-2").Env("Sequencer__InstanceCount").ShouldBe("2");

        var partitions = DotnetServices.Select(s => compose.Service(s).Env("Topology__Partitions")).Distinct().ToList();
        partitions.ShouldBe(["16"], "Topology:Partitions is the same in every process");
        foreach (var name in DotnetServices)
        {
            var service = compose.Service(name);
            service.Env("ConnectionStrings__rabbitmq")!.ShouldStartWith("amqp://");
            service.Env("ConnectionStrings__rabbitmq")!.ShouldContain("@rabbitmq:5672/");
            service.Env("ConnectionStrings__postgres")!.ShouldContain("Host=postgres");
            service.Env("ConnectionStrings__redis").ShouldBe("redis:6379");
        }
    }

    [Fact]
    public async Task OnlyNginxAndIngestArePublishedAndTheServersKeepTheirDataInNamedVolumes()
    {
        var compose = await ComposeFile.ResolveDefaultsAsync();
        compose.Services().Where(s => !s.Service.InProfile() && s.Service.TryGetProperty("ports", out _)).Select(s => s.Name)
            .ShouldBe(["ingest", "nginx"], ignoreOrder: true);

        var volumes = compose.GetProperty("volumes").EnumerateObject().Select(v => v.Name).ToList();
        foreach (var (server, path) in new[] { ("rabbitmq", "/var/lib/rabbitmq"), ("redis", "/data"), ("postgres", "/var/lib/postgresql/data") })
        {
            var mounts = compose.Service(server).GetProperty("volumes").EnumerateArray().Select(v => v.GetString()!).ToList();
            mounts.ShouldContain(m => volumes.Contains(m.Split(':')[0]) && m.Split(':')[1] == path, $"{server} keeps {path} in a named volume");
        }

        // nginx runs compose/nginx.conf, the file the nginx tests run.
        compose.Service("nginx").GetProperty("volumes").EnumerateArray().Select(v => v.GetString()!)
            .ShouldContain(m => m.StartsWith(NginxConfig.ComposePath + ":/etc/nginx/nginx.conf", StringComparison.Ordinal));
    }

    [Fact]
    public async Task SecretsComeFromTheEnvironmentWithThePublicDevelopmentDefaults()
    {
        var defaults = await ComposeFile.ResolveDefaultsAsync();
        defaults.Service("ingest").Env("Ingest__ApiKeys__0__Hash").ShouldBe(
            "sha256:57888d36c4bb8679dc293f271f58b485e8485828a3ca1911187ddcb804306683", "the hash of the development key dev-api-key-change-me");
        defaults.Service("realtime-1").Env("Auth__Jwt__SigningKey").ShouldBe("fanout-dev-signing-key-change-me-0123456789");

        var given = await ComposeFile.ResolveAsync(new Dictionary<string, string>
        {
            ["FANOUT_API_KEY_HASH"] = "sha256:" + new string('a', 64),
            ["FANOUT_JWT_SIGNING_KEY"] = "prod-signing-key-0123456789abcdef-0123456789",
            ["POSTGRES_PASSWORD"] = "pg-secret",
            ["RABBITMQ_PASSWORD"] = "mq-secret",
        });
        given.Service("ingest").Env("Ingest__ApiKeys__0__Hash").ShouldBe("sha256:" + new string('a', 64));
        given.Service("realtime-1").Env("Auth__Jwt__SigningKey").ShouldBe("prod-signing-key-0123456789abcdef-0123456789");
        given.Service("realtime-2").Env("Auth__Jwt__SigningKey").ShouldBe("prod-signing-key-0123456789abcdef-0123456789");
        given.Service("postgres").Env("POSTGRES_PASSWORD").ShouldBe("pg-secret");
        given.Service("rabbitmq").Env("RABBITMQ_DEFAULT_PASS").ShouldBe("mq-secret");
        foreach (var name in DotnetServices)
        {
            given.Service(name).Env("ConnectionStrings__postgres")!.ShouldContain("Password=pg-secret;");
            given.Service(name).Env("ConnectionStrings__rabbitmq")!.ShouldContain(":mq-secret@");
        }

        // Each secret goes only where it is used.
        foreach (var name in DotnetServices.Except(["ingest"]))
        {
            given.Service(name).Env("Ingest__ApiKeys__0__Hash").ShouldBeNull($"{name} does not get the API key hash");
        }

        foreach (var name in DotnetServices.Except(["realtime-1", "realtime-2"]))
        {
            given.Service(name).Env("Auth__Jwt__SigningKey").ShouldBeNull($"{name} does not get the token signing key");
        }
    }

    [Fact]
    public async Task EachServiceImageIsBuiltFromTheRepositoryRootInTwoStagesAndRunsAsNonRoot()
    {
        var compose = await ComposeFile.ResolveDefaultsAsync();
        var root = ServiceBinaries.RepositoryRoot.TrimEnd('/');
        foreach (var name in DotnetServices)
        {
            var (folder, assembly) = Images[name];
            var build = compose.Service(name).GetProperty("build");
            build.GetProperty("context").GetString()!.TrimEnd('/').ShouldBe(root, $"{name} builds from the repository root");
            build.GetProperty("dockerfile").GetString().ShouldBe($"services/{folder}/Dockerfile");

            var dockerfile = await File.ReadAllTextAsync(Path.Combine(root, "services", folder, "Dockerfile"));
            // Ingest has one more stage before them: Node, building the clients/js browser bundle the demo page loads.
            var from = FromLine().Matches(dockerfile).Select(m => m.Groups["image"].Value)
                .Where(image => !(folder == "Ingest" && image.StartsWith("node:", StringComparison.Ordinal))).ToList();
            from.Count.ShouldBe(2, $"{folder}/Dockerfile has a build and a runtime stage");
            from[0].ShouldStartWith("mcr.microsoft.com/dotnet/sdk:10.0");
            from[1].ShouldStartWith("mcr.microsoft.com/dotnet/aspnet:10.0");
            dockerfile.ShouldContain("USER $APP_UID");
            dockerfile.ShouldContain($"ENTRYPOINT [\"dotnet\", \"{assembly}.dll\"]");
            dockerfile.ShouldContain($"dotnet publish services/{folder}/{assembly}.csproj");

            // Everything the build stage copies exists in the build context, and the build settings are among it.
            var copied = CopyLine().Matches(dockerfile).SelectMany(m => m.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
            copied.ShouldContain("Directory.Build.props");
            copied.ShouldContain("Directory.Packages.props");
            copied.ShouldContain("global.json");
            copied.ShouldContain(".editorconfig", "the analyzer severities: warnings are errors");
            copied.ShouldContain("shared/");
            foreach (var source in copied)
            {
                (File.Exists(Path.Combine(root, source)) || System.IO.Directory.Exists(Path.Combine(root, source)))
                    .ShouldBeTrue($"{folder}/Dockerfile copies {source}, which exists");
            }

            // Every project the service references is in what the build stage copies.
            var project = await File.ReadAllTextAsync(Path.Combine(root, "services", folder, assembly + ".csproj"));
            foreach (Match reference in ProjectReference().Matches(project))
            {
                var referenced = Path.GetRelativePath(root, Path.GetFullPath(Path.Combine(root, "services", folder, reference.Groups["path"].Value.Replace('\\', '/'))));
                copied.ShouldContain(c => referenced.StartsWith(c, StringComparison.Ordinal), $"{folder}/Dockerfile copies {referenced}");
            }
        }

        var ignored = (await File.ReadAllLinesAsync(Path.Combine(root, ".dockerignore"))).Select(l => l.Trim()).ToList();
        ignored.ShouldContain("**/bin/");
        ignored.ShouldContain("**/obj/");
        ignored.ShouldContain(".run/");
        ignored.ShouldContain("**/node_modules/");
        ignored.ShouldContain(".git/");
    }

    /// <summary>
    /// The broker is a current RabbitMQ 4 (4.3 on refuses what earlier Fanout versions declared, and docs/operations.md
    /// lists the versions supported): a management image of a 4.x minor at least 4.3.
    /// </summary>
    [Fact]
    public async Task TheBrokerIsACurrentRabbitMq4WithTheManagementPlugin()
    {
        var compose = await ComposeFile.ResolveDefaultsAsync();
        var image = compose.Service("rabbitmq").GetProperty("image").GetString()!;
        var tag = RabbitMqImage().Match(image);
        tag.Success.ShouldBeTrue($"{image} is rabbitmq:4.N-management-alpine");
        int.Parse(tag.Groups["minor"].Value, System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThanOrEqualTo(3);
        var guide = await File.ReadAllTextAsync(Path.Combine(ComposeFile.Directory, "..", "docs", "operations.md"));
        guide.ShouldContain($"`{image}`", Case.Sensitive, "docs/operations.md names the broker image the compose file runs");
    }

    [GeneratedRegex(@"^rabbitmq:4\.(?<minor>[0-9]+)-management-alpine$")]
    private static partial Regex RabbitMqImage();

    [GeneratedRegex(@"^FROM\s+(?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex FromLine();

    // COPY <sources...> <destination>, without --from (those copy from an earlier stage, not the build context).
    [GeneratedRegex(@"^COPY\s+(?!--from)(?<sources>.+?)\s+\S+\s*$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();

    [GeneratedRegex("""<ProjectReference\s+Include="(?<path>[^"]+)""")]
    private static partial Regex ProjectReference();
}
