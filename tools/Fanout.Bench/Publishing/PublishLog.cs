using System.Collections.Concurrent;

namespace Fanout.Bench.Publishing;

/// <summary>
/// Every event the publisher sent, by counter k: its phase, send time and outcome (pending, accepted with 202, or
/// failed). Stored in fixed chunks so completions on other threads never race a resize.
/// </summary>
public sealed class PublishLog
{
    private const int ChunkBits = 16;
    private const int ChunkSize = 1 << ChunkBits;
    private readonly PublishRecord[]?[] _chunks = new PublishRecord[]?[1 << 14];
    private readonly long[] _acceptedByPhase = new long[256];
    private readonly long[] _failedByPhase = new long[256];
    private long _next;

    public ConcurrentDictionary<string, int> FailReasons { get; } = new(StringComparer.Ordinal);

    /// <summary>How many events were sent so far (the next k).</summary>
    public long Count => Interlocked.Read(ref _next);

    public long Accepted(int phase) => Interlocked.Read(ref _acceptedByPhase[phase]);

    public long Failed(int phase) => Interlocked.Read(ref _failedByPhase[phase]);

    public long AcceptedTotal => _acceptedByPhase.Sum();

    public long FailedTotal => _failedByPhase.Sum();

    /// <summary>Registers the next event (publisher thread only) and returns its k.</summary>
    public long Add(int phase, double sentAtMs)
    {
        var k = Interlocked.Read(ref _next);
        var chunk = _chunks[k >> ChunkBits] ??= new PublishRecord[ChunkSize];
        chunk[k & (ChunkSize - 1)] = new PublishRecord(sentAtMs, (byte)phase, PublishState.Pending);
        Interlocked.Increment(ref _next);
        return k;
    }

    public void Complete(long k, string? failure)
    {
        ref var record = ref _chunks[k >> ChunkBits]![k & (ChunkSize - 1)];
        if (failure is null)
        {
            record = record with { State = PublishState.Accepted };
            Interlocked.Increment(ref _acceptedByPhase[record.Phase]);
        }
        else
        {
            record = record with { State = PublishState.Failed };
            Interlocked.Increment(ref _failedByPhase[record.Phase]);
            FailReasons.AddOrUpdate(failure, 1, (_, n) => n + 1);
        }
    }

    public PublishRecord this[long k] => _chunks[k >> ChunkBits]![k & (ChunkSize - 1)];
}
