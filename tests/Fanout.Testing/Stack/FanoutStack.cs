using System.Net.Http.Headers;
using Fanout.Testing.Servers;

namespace Fanout.Testing.Stack;

/// <summary>
/// A whole Fanout for one test class. Distributed: Ingest, N sequencer (fanout) instances, the presence service and M
/// realtime nodes as real processes, on a fresh RabbitMQ vhost, a fresh PostgreSQL database and a Redis key prefix of
/// their own on the test servers. Embedded: one Fanout.Embedded process with a fresh data directory; it is
/// <see cref="Ingest"/> and the only node (<see cref="HubUrl"/> of any index is its hub).
/// </summary>
public sealed class FanoutStack : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789abcdef";
    public const string SigningKey = "test-signing-key-0123456789abcdef-0123456789";

    /// <summary>A second API key of every stack, allowed only the rooms <c>limited:*</c>.</summary>
    public const string LimitedApiKey = "test-limited-key-0123456789abcdef";

    private static readonly SemaphoreSlim StartGate = new(2, 2);

    private readonly RabbitMqVhost? _vhost;
    private readonly PostgresDatabase? _database;
    private readonly string? _redisKeyPrefix;

    private FanoutStack(RabbitMqVhost? vhost, PostgresDatabase? database, string? redisKeyPrefix, ServiceProcess ingest,
        IReadOnlyList<ServiceProcess> sequencers, ServiceProcess? presence, IReadOnlyList<ServiceProcess> nodes, string? dataDirectory = null)
    {
        _vhost = vhost;
        _database = database;
        _redisKeyPrefix = redisKeyPrefix;
        DataDirectory = dataDirectory;
        Ingest = ingest;
        Sequencers = sequencers;
        Presence = presence;
        Nodes = nodes;
    }

    public StackMode Mode => DataDirectory is null ? StackMode.Distributed : StackMode.Embedded;

    public RabbitMqVhost Vhost => _vhost ?? throw new InvalidOperationException("An embedded stack has no broker.");

    public PostgresDatabase Database => _database ?? throw new InvalidOperationException("An embedded stack has no PostgreSQL database.");

    /// <summary>The prefix of every Redis key this stack writes (<c>Presence:KeyPrefix</c>).</summary>
    public string RedisKeyPrefix => _redisKeyPrefix ?? throw new InvalidOperationException("An embedded stack has no Redis.");

    /// <summary>The embedded process's data directory (its SQLite history); null for a distributed stack.</summary>
    public string? DataDirectory { get; }

    public ServiceProcess Ingest { get; }

    /// <summary>The presence service, unless the stack runs without it.</summary>
    public ServiceProcess? Presence { get; }

    public IReadOnlyList<ServiceProcess> Sequencers { get; }

    public IReadOnlyList<ServiceProcess> Nodes { get; }

    /// <summary>The <c>Realtime:NodeId</c> of each node, in the order of <see cref="Nodes"/>.</summary>
    public IReadOnlyList<string> NodeIds { get; private init; } = [];

    public IEnumerable<ServiceProcess> All =>
        new[] { Ingest }.Concat(Sequencers).Concat(Presence is null ? [] : [Presence]).Concat(Nodes).Distinct();

    public static async Task<FanoutStack> StartAsync(StackOptions? options = null)
    {
        options ??= new StackOptions();
        return options.Mode == StackMode.Embedded ? await StartEmbeddedAsync(options) : await StartDistributedAsync(options);
    }

    /// <summary>The settings every stack's processes get (the test key, the signing key, log levels), then the test's own.</summary>
    private static Dictionary<string, string> CommonSettings(StackOptions options, Dictionary<string, string> transport)
    {
        var common = new Dictionary<string, string>(transport)
        {
            ["Ingest:ApiKeys:0:Name"] = "test",
            ["Ingest:ApiKeys:0:Key"] = ApiKey,
            ["Ingest:ApiKeys:0:AllowDestructive"] = "true",
            ["Ingest:ApiKeys:1:Name"] = "limited",
            ["Ingest:ApiKeys:1:Key"] = LimitedApiKey,
            ["Ingest:ApiKeys:1:Rooms:0"] = "limited:*",
            ["Auth:Jwt:SigningKey"] = SigningKey,
            ["Realtime:PositionCheckIntervalMs"] = "1000",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in options.Settings)
        {
            common[key] = value;
        }

        return common;
    }

    private static async Task<FanoutStack> StartEmbeddedAsync(StackOptions options)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "fanout-e2e-" + Guid.NewGuid().ToString("N")[..12]);
        var nodeId = Path.GetFileName(dataDirectory) + "-node-1";
        var settings = CommonSettings(options, new Dictionary<string, string>
        {
            ["Sqlite:DataDirectory"] = dataDirectory,
            ["Realtime:NodeId"] = nodeId,
        });
        var process = new ServiceProcess("embedded", "Fanout.Embedded", FreePort.Next(), settings);
        var stack = new FanoutStack(null, null, null, process, [], null, [process], dataDirectory) { NodeIds = [nodeId] };
        await StartAsync(stack);
        return stack;
    }

    private static async Task<FanoutStack> StartDistributedAsync(StackOptions options)
    {
        var vhost = await RabbitMqVhost.CreateAsync("e2e");
        var database = await PostgresDatabase.CreateAsync("e2e");
        var redisKeyPrefix = vhost.Name + ":";
        var common = CommonSettings(options, new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = vhost.ConnectionString,
            ["ConnectionStrings:postgres"] = database.ConnectionString,
            ["ConnectionStrings:redis"] = TestServers.Redis,
            ["Presence:KeyPrefix"] = redisKeyPrefix,
            ["Topology:Partitions"] = options.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

        var ingest = new ServiceProcess("ingest", "Fanout.Ingest", FreePort.Next(), common);
        var sequencers = Enumerable.Range(1, options.Sequencers)
            .Select(i => new ServiceProcess($"fanout-{i}", "Fanout.Sequencer", FreePort.Next(),
                new Dictionary<string, string>(common)
                {
                    ["Sequencer:InstanceIndex"] = (i - 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Sequencer:InstanceCount"] = options.Sequencers.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["Sequencer:StandbyDelayMs"] = common.GetValueOrDefault("Sequencer:StandbyDelayMs", "2000"),
                }))
            .ToList();
        var presence = options.Presence ? new ServiceProcess("presence", "Fanout.Presence", FreePort.Next(), common) : null;
        var nodes = Enumerable.Range(1, options.RealtimeNodes)
            .Select(i => new ServiceProcess($"realtime-{i}", "Fanout.Realtime", FreePort.Next(),
                new Dictionary<string, string>(common) { ["Realtime:NodeId"] = $"{vhost.Name}-node-{i}" }))
            .ToList();

        var stack = new FanoutStack(vhost, database, redisKeyPrefix, ingest, sequencers, presence, nodes)
        {
            NodeIds = [.. Enumerable.Range(1, options.RealtimeNodes).Select(i => $"{vhost.Name}-node-{i}")],
        };
        await StartAsync(stack);
        return stack;
    }

    private static async Task StartAsync(FanoutStack stack)
    {
        // Starting a stack (JIT, schema migrations, broker topology) is what loads a small machine most; test classes
        // run in parallel, so stacks start at most two at a time and every process gets its minute to become ready.
        await StartGate.WaitAsync();
        try
        {
            foreach (var process in stack.All)
            {
                process.Start();
            }

            await Task.WhenAll(stack.All.Select(p => p.WaitReadyAsync()));
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
        finally
        {
            StartGate.Release();
        }
    }

    /// <summary>An HTTP client for Ingest carrying the test API key.</summary>
    public HttpClient CreateIngestClient()
    {
        var client = new HttpClient { BaseAddress = Ingest.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return client;
    }

    /// <summary>The hub URL of realtime node <paramref name="index"/> (of node <c>index mod count</c>, so the embedded one for any).</summary>
    public Uri HubUrl(int index) => new(Nodes[index % Nodes.Count].BaseAddress, "/hubs/rooms");

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(All.Select(p => p.DisposeAsync().AsTask()));
        if (_vhost is not null)
        {
            await _vhost.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (DataDirectory is not null && Directory.Exists(DataDirectory))
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
    }
}
