using System.Net.Http.Headers;
using Fanout.Testing.Servers;

namespace Fanout.Testing.Stack;

/// <summary>
/// A whole Fanout cluster for one test class: Ingest, N sequencer (fanout) instances, the presence service and M
/// realtime nodes as real processes, on a fresh RabbitMQ vhost, a fresh PostgreSQL database and a Redis key prefix of
/// their own on the test servers.
/// </summary>
public sealed class FanoutStack : IAsyncDisposable
{
    public const string ApiKey = "test-api-key-0123456789abcdef";
    public const string SigningKey = "test-signing-key-0123456789abcdef-0123456789";

    private static readonly SemaphoreSlim StartGate = new(2, 2);

    private FanoutStack(RabbitMqVhost vhost, PostgresDatabase database, string redisKeyPrefix, ServiceProcess ingest,
        IReadOnlyList<ServiceProcess> sequencers, ServiceProcess? presence, IReadOnlyList<ServiceProcess> nodes)
    {
        Vhost = vhost;
        Database = database;
        RedisKeyPrefix = redisKeyPrefix;
        Ingest = ingest;
        Sequencers = sequencers;
        Presence = presence;
        Nodes = nodes;
    }

    public RabbitMqVhost Vhost { get; }

    public PostgresDatabase Database { get; }

    /// <summary>The prefix of every Redis key this stack writes (<c>Presence:KeyPrefix</c>).</summary>
    public string RedisKeyPrefix { get; }

    public ServiceProcess Ingest { get; }

    /// <summary>The presence service, unless the stack runs without it.</summary>
    public ServiceProcess? Presence { get; }

    public IReadOnlyList<ServiceProcess> Sequencers { get; }

    public IReadOnlyList<ServiceProcess> Nodes { get; }

    public IEnumerable<ServiceProcess> All =>
        new[] { Ingest }.Concat(Sequencers).Concat(Presence is null ? [] : [Presence]).Concat(Nodes);

    public static async Task<FanoutStack> StartAsync(StackOptions? options = null)
    {
        options ??= new StackOptions();
        var vhost = await RabbitMqVhost.CreateAsync("e2e");
        var database = await PostgresDatabase.CreateAsync("e2e");
        var redisKeyPrefix = vhost.Name + ":";
        var common = new Dictionary<string, string>
        {
            ["ConnectionStrings:rabbitmq"] = vhost.ConnectionString,
            ["ConnectionStrings:postgres"] = database.ConnectionString,
            ["ConnectionStrings:redis"] = TestServers.Redis,
            ["Presence:KeyPrefix"] = redisKeyPrefix,
            ["Topology:Partitions"] = options.Partitions.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Ingest:ApiKeys:0:Name"] = "test",
            ["Ingest:ApiKeys:0:Key"] = ApiKey,
            ["Auth:Jwt:SigningKey"] = SigningKey,
            ["Realtime:PositionCheckIntervalMs"] = "1000",
            ["Logging:LogLevel:Default"] = "Information",
            ["Logging:LogLevel:Microsoft.AspNetCore"] = "Warning",
        };
        foreach (var (key, value) in options.Settings)
        {
            common[key] = value;
        }

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

        var stack = new FanoutStack(vhost, database, redisKeyPrefix, ingest, sequencers, presence, nodes);
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
            return stack;
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

    /// <summary>The hub URL of realtime node <paramref name="index"/>.</summary>
    public Uri HubUrl(int index) => new(Nodes[index].BaseAddress, "/hubs/rooms");

    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(All.Select(p => p.DisposeAsync().AsTask()));
        await Vhost.DisposeAsync();
        await Database.DisposeAsync();
    }
}
