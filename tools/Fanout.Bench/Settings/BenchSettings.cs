using Fanout.Bench.Clients;
namespace Fanout.Bench.Settings;

/// <summary>One benchmark run's workload and targets. Defaults are the reference harness's (see docs/benchmarks.md).</summary>
public sealed record BenchSettings
{
    public Uri Ingest { get; init; } = new("http://127.0.0.1:5080");

    /// <summary>Hub URLs; client i connects to node i % count.</summary>
    public IReadOnlyList<Uri> Nodes { get; init; } =
        [new("http://127.0.0.1:5070/hubs/rooms"), new("http://127.0.0.1:5071/hubs/rooms")];

    public string ApiKey { get; init; } = "dev-api-key-change-me";

    public string SigningKey { get; init; } = "fanout-dev-signing-key-change-me-0123456789";

    public int Rooms { get; init; } = 20;

    /// <summary>Client i joins room floor(i / ClientsPerRoom).</summary>
    public int ClientsPerRoom { get; init; } = 25;

    /// <summary>Events per second over all rooms (event k goes to room k % Rooms).</summary>
    public double Rate { get; init; } = 400;

    /// <summary>Seconds of the measured window.</summary>
    public double DurationSeconds { get; init; } = 20;

    /// <summary>Seconds of publishing before the window; its deliveries count for loss but not for latency.</summary>
    public double WarmupSeconds { get; init; } = 5;

    public int MaxInflight { get; init; } = 256;

    /// <summary>HTTP/1.1 keep-alive connections to Ingest.</summary>
    public int HttpConnections { get; init; } = 32;

    public int ConnectConcurrency { get; init; } = 50;

    /// <summary>The subscribers' SignalR client (docs/benchmarks.md: Method).</summary>
    public ClientKind Client { get; init; } = ClientKind.Lean;

    /// <summary>Where the subscribers send their token; <see cref="TokenPlacement.Query"/> only with the lean client.</summary>
    public TokenPlacement TokenIn { get; init; } = TokenPlacement.Header;

    /// <summary>Where publish requests are sent and awaited (<c>--publisher</c>).</summary>
    public Publishing.PublisherMode Publisher { get; init; } = Publishing.PublisherMode.Pool;

    public IReadOnlyList<ServerPid> ServerPids { get; init; } = [];

    /// <summary>After publishing stops: give up when nothing arrived for this long (seconds).</summary>
    public double DrainIdleSeconds { get; init; } = 3;

    /// <summary>After publishing stops: give up after this long (seconds).</summary>
    public double DrainMaxSeconds { get; init; } = 15;

    /// <summary>Room names are <c>{RoomPrefix}:{index}</c>; unique per run so every room starts at seq 1.</summary>
    public string RoomPrefix { get; init; } = $"bench-{DateTime.UtcNow:HHmmss}-{Random.Shared.Next(1000, 9999)}";

    public RampSettings Ramp { get; init; } = new();

    public ReconnectStormSettings ReconnectStorm { get; init; } = new();

    public IdleConnectionsSettings IdleConnections { get; init; } = new();

    public int Clients => Rooms * ClientsPerRoom;

    public string RoomName(int index) => $"{RoomPrefix}:{index}";
}
