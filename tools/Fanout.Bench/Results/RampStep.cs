using Fanout.Bench.Metrics;
using Fanout.Bench.Scenarios;

namespace Fanout.Bench.Results;

/// <summary>One ramp step, judged on its own (held: p99, loss and publish rate within the limits).</summary>
public sealed record RampStep(
    int Step,
    double TargetRate,
    double PublishRate,
    bool Held,
    long Published,
    long ExpectedDeliveries,
    long Received,
    long Lost,
    double? LossPercent,
    long Duplicated,
    double DeliveriesPerSec,
    LatencySummary LatencyMs,
    double? ServerCpuMsPer1kDeliveries,
    CpuUsage Cpu,
    DrainResult Drain)
{
    public static RampStep From(int step, bool held, WindowMeasurement m) => new(
        step, Math.Round(m.Run.TargetRate, 1), m.PublishRate, held, m.Delivery.Published, m.Delivery.ExpectedDeliveries,
        m.Delivery.Received, m.Delivery.Lost, m.Delivery.LossPercent, m.Delivery.Duplicated, m.DeliveriesPerSec,
        m.LatencyMs, m.ServerCpuMsPer1kDeliveries, m.Cpu, m.Drain);
}
