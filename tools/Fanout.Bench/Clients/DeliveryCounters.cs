using Fanout.Bench.Metrics;

namespace Fanout.Bench.Clients;

/// <summary>Run-wide receipt counters shared by every client: first copies and latency per phase, duplicates.</summary>
public sealed class DeliveryCounters
{
    private const int Phases = 256;
    private readonly long[] _firstCopies = new long[Phases];
    private readonly LatencyHistogram?[] _latency = new LatencyHistogram?[Phases];
    private long _duplicates;
    private long _firstCopiesTotal;

    public long FirstCopiesTotal => Interlocked.Read(ref _firstCopiesTotal);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    public long FirstCopies(int phase) => Interlocked.Read(ref _firstCopies[phase]);

    /// <summary>The latency histogram of a measured phase (created on first use).</summary>
    public LatencyHistogram Latency(int phase)
    {
        var histogram = Volatile.Read(ref _latency[phase]);
        if (histogram is not null)
        {
            return histogram;
        }

        Interlocked.CompareExchange(ref _latency[phase], new LatencyHistogram(), null);
        return _latency[phase]!;
    }

    /// <summary>Counts a receipt; latency is recorded for the first copy of an event of a measured phase (≥ 2) only.</summary>
    public void Received(BenchPayload data, int copies, double receivedAtMs)
    {
        if (copies > 1)
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        if (copies != 1 || data.P is < 0 or >= Phases)
        {
            return;
        }

        Interlocked.Increment(ref _firstCopies[data.P]);
        Interlocked.Increment(ref _firstCopiesTotal);
        if (data.P >= 2)
        {
            Latency(data.P).RecordMs(receivedAtMs - data.T);
        }
    }
}
