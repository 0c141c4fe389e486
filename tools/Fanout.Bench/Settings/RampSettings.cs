namespace Fanout.Bench.Settings;

/// <summary>The ramp: steps of <see cref="StepSeconds"/> from the base rate, times <see cref="Factor"/> per step.</summary>
public sealed record RampSettings
{
    public double StepSeconds { get; init; } = 10;

    public double Factor { get; init; } = 1.5;

    public int MaxSteps { get; init; } = 8;

    /// <summary>A step holds when its p99 latency is at most this (ms)…</summary>
    public double P99LimitMs { get; init; } = 100;

    /// <summary>…its loss at most this (percent) and the publisher reached 90 % of the target rate.</summary>
    public double LossLimitPercent { get; init; } = 0.1;
}
