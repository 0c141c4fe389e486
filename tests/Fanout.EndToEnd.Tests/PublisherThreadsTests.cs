using Fanout.Bench.Publishing;

namespace Fanout.EndToEnd.Tests;

/// <summary>The bench's publisher threads: every job runs once, never more threads than allowed, none after disposal.</summary>
public sealed class PublisherThreadsTests
{
    [Fact]
    public async Task EveryJobRunsOnceOnAtMostTheAllowedNumberOfThreads()
    {
        using var threads = new PublisherThreads(maxThreads: 3);
        var runs = new int[50];
        var gate = new Lock();
        var running = 0;
        var mostAtOnce = 0;
        var names = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        using var release = new ManualResetEventSlim(false);
        for (var i = 0; i < runs.Length; i++)
        {
            var job = i;
            threads.Run(() =>
            {
                lock (gate)
                {
                    running++;
                    mostAtOnce = Math.Max(mostAtOnce, running);
                }

                names[Thread.CurrentThread.Name ?? "?"] = true;
                release.Wait(TimeSpan.FromSeconds(10));
                lock (gate)
                {
                    running--;
                }

                Interlocked.Increment(ref runs[job]);
            });
        }

        int Running()
        {
            lock (gate)
            {
                return running;
            }
        }

        await Fanout.Testing.Eventually.HoldsAsync(() => Running() == 3, "three jobs run at once");
        release.Set();
        await Fanout.Testing.Eventually.HoldsAsync(() => runs.All(r => r == 1), "every job ran once");

        lock (gate)
        {
            mostAtOnce.ShouldBe(3);
        }

        names.Keys.ShouldAllBe(n => n.StartsWith("bench-publisher-", StringComparison.Ordinal));
        names.Count.ShouldBeLessThanOrEqualTo(3);
    }

    [Fact]
    public void NoJobIsTakenAfterDisposal()
    {
        var threads = new PublisherThreads(maxThreads: 1);
        threads.Dispose();

        Should.Throw<InvalidOperationException>(() => threads.Run(() => { }));
    }
}
