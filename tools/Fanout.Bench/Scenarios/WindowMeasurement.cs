using Fanout.Bench.Metrics;
using Fanout.Bench.Publishing;

namespace Fanout.Bench.Scenarios;

/// <summary>One measured phase: what was published, delivered and how fast, and what it cost the servers.</summary>
public sealed record WindowMeasurement(
    PhaseRun Run,
    DeliveryStats Delivery,
    LatencySummary LatencyMs,
    CpuUsage Cpu,
    DrainResult Drain)
{
    public double PublishRate => Math.Round(Delivery.Published / Run.Seconds, 1);

    public double DeliveriesPerSec => Math.Round(Delivery.Received / Run.Seconds, 1);

    /// <summary>Server CPU milliseconds per 1,000 deliveries received in the window; null when nothing arrived.</summary>
    public double? ServerCpuMsPer1kDeliveries =>
        Delivery.Received > 0 ? Math.Round(Cpu.ServerCpuSeconds * 1000 / (Delivery.Received / 1000.0), 3) : null;
}
