using System.Diagnostics;

namespace Fanout.Bench.Metrics;

/// <summary>
/// The one clock of a run: milliseconds (fractional) since this process's epoch, from <see cref="Stopwatch"/>.
/// The publisher writes it into each event (<c>data.t</c>) and the clients read it on receipt, so latency is a
/// difference of two readings of the same monotonic clock.
/// </summary>
public static class BenchClock
{
    private static readonly long Epoch = Stopwatch.GetTimestamp();

    public static double NowMs => (Stopwatch.GetTimestamp() - Epoch) * 1000.0 / Stopwatch.Frequency;
}
