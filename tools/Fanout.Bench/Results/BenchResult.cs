using Fanout.Bench.Clients;
using Fanout.Bench.Metrics;

namespace Fanout.Bench.Results;

/// <summary>
/// The outcome of one run, printed as a table and as one JSON line. Loss counts (published, expected, received,
/// lost, duplicated, outOfOrder) cover everything published after all clients subscribed, warm-up included;
/// rates, latency and CPU cover the measured window (for a ramp: the highest step that held).
/// </summary>
public sealed record BenchResult
{
    public string Tool { get; init; } = "fanout-bench";

    public required string Scenario { get; init; }

    public DateTimeOffset Timestamp { get; init; } = DateTimeOffset.UtcNow;

    public required int Rooms { get; init; }

    public required int ClientsPerRoom { get; init; }

    public required int Clients { get; init; }

    public required double Rate { get; init; }

    public required double DurationSeconds { get; init; }

    public required double WarmupSeconds { get; init; }

    /// <summary>Where publish requests were sent and awaited (<c>--publisher</c>).</summary>
    public Publishing.PublisherMode Publisher { get; init; }

    public required ConnectSummary Connect { get; init; }

    public required long Published { get; init; }

    public required long PublishFailed { get; init; }

    public required long ExpectedDeliveries { get; init; }

    public required long Received { get; init; }

    public required long Lost { get; init; }

    public required double? LossPercent { get; init; }

    public required long Duplicated { get; init; }

    public required long OutOfOrder { get; init; }

    public required long PublishedInWindow { get; init; }

    public required double WindowSeconds { get; init; }

    public required double PublishRate { get; init; }

    public required double DeliveriesPerSec { get; init; }

    public required LatencySummary LatencyMs { get; init; }

    public required LatencySummary PublishAckMs { get; init; }

    public required double? ServerCpuMsPer1kDeliveries { get; init; }

    public required CpuUsage Cpu { get; init; }

    public required int UnexpectedDisconnects { get; init; }

    public required long WrongRoom { get; init; }

    public required IReadOnlyDictionary<string, int> PublishFailReasons { get; init; }

    public ReconnectSummary? Reconnect { get; init; }

    public IdleConnectionsSummary? IdleConnections { get; init; }

    public IReadOnlyList<RampStep>? Steps { get; init; }

    public RampStep? MaxSustained { get; init; }

    public string? StopReason { get; init; }
}
