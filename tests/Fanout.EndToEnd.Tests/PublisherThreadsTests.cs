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
        var running = 0;
        var mostAtOnce = 0;
        var names = new System.Collections.Concurrent.ConcurrentDictionary<string, bool>();
        using var release = new ManualResetEventSlim(false);
        for (var i = 0; i < runs.Length; i++)
        {
            var job = i;
            threads.Run(() =>
            {
                var now = Interlocked.Increment(ref running);
                InterlockedMax(ref mostAtOnce, now);
                names[Thread.CurrentThread.Name ?? "?"] = true;
                release.Wait(TimeSpan.FromSeconds(10));
                Interlocked.Decrement(ref running);
                Interlocked.Increment(ref runs[job]);
            });
        }

        await Fanout.Testing.Eventually.HoldsAsync(() => Volatile.Read(ref running) == 3, "three jobs run at once");
        release.Set();
        await Fanout.Testing.Eventually.HoldsAsync(() => runs.All(r => Volatile.Read(ref r) == 1), "every job ran once");

        mostAtOnce.ShouldBe(3);
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

    private static void InterlockedMax(ref int target, int value)
    {
        var current = Volatile.Read(ref target);
        while (value > current)
        {
            var seen = Interlocked.CompareExchange(ref target, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
