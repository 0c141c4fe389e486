using System.Collections.Concurrent;

namespace Fanout.Bench.Publishing;

/// <summary>
/// Runs publish requests on threads of their own, at most <c>maxThreads</c>, started as they are needed. The bench's
/// thread pool is busy with the receiving clients (a client's receive loop keeps its thread while frames are buffered),
/// so an HTTP answer awaited there waited behind them: in the large room the bench saw publish answers of seconds that
/// Ingest had sent within 100 ms. A blocked thread here is woken by the kernel when its answer arrives.
/// </summary>
public sealed class PublisherThreads : IDisposable
{
    private readonly BlockingCollection<Action> _jobs = new();
    private readonly int _maxThreads;
    private readonly Lock _lock = new();
    private int _threads;
    private int _idle;

    public PublisherThreads(int maxThreads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxThreads, 1);
        _maxThreads = maxThreads;
    }

    /// <summary>Queues <paramref name="job"/>; a thread is started when more jobs wait than threads idle and the limit allows one.</summary>
    public void Run(Action job)
    {
        _jobs.Add(job);
        lock (_lock)
        {
            if (_jobs.Count > Volatile.Read(ref _idle) && _threads < _maxThreads)
            {
                _threads++;
                new Thread(Work) { IsBackground = true, Name = $"bench-publisher-{_threads}" }.Start();
            }
        }
    }

    public void Dispose() => _jobs.CompleteAdding();

    private void Work()
    {
        while (true)
        {
            Interlocked.Increment(ref _idle);
            var taken = _jobs.TryTake(out var job, Timeout.Infinite); // false once disposed and empty
            Interlocked.Decrement(ref _idle);
            if (!taken)
            {
                return;
            }

            job!();
        }
    }
}
