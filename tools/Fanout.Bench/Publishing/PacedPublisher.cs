using Fanout.Bench.Metrics;

namespace Fanout.Bench.Publishing;

/// <summary>
/// Publishes at a rate paced against elapsed time (a 1 ms tick that catches up in bursts), event k to room
/// k % rooms, with at most <c>maxInflight</c> requests outstanding (sent, or waiting for one of the
/// <paramref name="threads"/> when there are such: else they go out on the thread pool). Each request's clock starts
/// when it is due. Outcomes go to the <see cref="PublishLog"/>.
/// </summary>
public sealed class PacedPublisher(EventPoster poster, PublishLog log, int rooms, int maxInflight, PublisherThreads? threads)
{
    private int _inflight;

    public int Inflight => Volatile.Read(ref _inflight);

    public LatencyHistogram AckLatency { get; } = new();

    /// <summary>Publishes for <paramref name="duration"/>; <paramref name="at"/> actions run once their offset into the phase has passed.</summary>
    public async Task<PhaseRun> RunPhaseAsync(int phase, double rate, TimeSpan duration,
        IReadOnlyList<(TimeSpan Offset, Action Action)>? at = null, CancellationToken cancellationToken = default)
    {
        var pending = new Queue<(TimeSpan Offset, Action Action)>((at ?? []).OrderBy(a => a.Offset));
        var durationMs = duration.TotalMilliseconds;
        var total = (long)Math.Ceiling(durationMs * rate / 1000);
        var start = BenchClock.NowMs;
        var firstK = log.Count;
        long sent = 0;
        long behind = 0;
        while (true)
        {
            var elapsed = BenchClock.NowMs - start;
            while (pending.Count > 0 && pending.Peek().Offset.TotalMilliseconds <= elapsed)
            {
                pending.Dequeue().Action();
            }

            if (elapsed >= durationMs)
            {
                break;
            }

            var due = Math.Min((long)Math.Floor(elapsed * rate / 1000) + 1, total);
            while (sent < due && Inflight < maxInflight)
            {
                Send(phase);
                sent++;
            }

            behind += sent < due ? 1 : 0;
            await Task.Delay(1, cancellationToken);
        }

        return new PhaseRun(phase, rate, start, BenchClock.NowMs, firstK, log.Count, behind);
    }

    /// <summary>Waits until every request sent so far has its answer.</summary>
    public async Task IdleAsync(CancellationToken cancellationToken = default)
    {
        while (Inflight > 0)
        {
            await Task.Delay(5, cancellationToken);
        }
    }

    private void Send(int phase)
    {
        var sentAt = BenchClock.NowMs;
        var k = log.Add(phase, sentAt);
        Interlocked.Increment(ref _inflight);
        if (threads is null)
        {
            _ = CompleteAsync(k, phase, sentAt);
        }
        else
        {
            threads.Run(() => Complete(k, phase, sentAt, poster.Post((int)(k % rooms), k, phase, sentAt)));
        }
    }

    private async Task CompleteAsync(long k, int phase, double sentAt) =>
        Complete(k, phase, sentAt, await poster.PostAsync((int)(k % rooms), k, phase, sentAt));

    private void Complete(long k, int phase, double sentAt, string? failure)
    {
        try
        {
            if (failure is null)
            {
                AckLatency.RecordMs(BenchClock.NowMs - sentAt);
            }

            log.Complete(k, failure);
        }
        catch (Exception ex)
        {
            log.Complete(k, ex.GetType().Name);
        }
        finally
        {
            Interlocked.Decrement(ref _inflight);
        }
    }
}
