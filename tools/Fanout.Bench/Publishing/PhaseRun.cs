namespace Fanout.Bench.Publishing;

/// <summary>One paced publishing phase: when it ran (bench clock, ms), which counters k it used, and how often it fell behind.</summary>
public sealed record PhaseRun(int Phase, double TargetRate, double StartMs, double EndMs, long FirstK, long EndK, long BehindTicks)
{
    public double Seconds => (EndMs - StartMs) / 1000;
}
