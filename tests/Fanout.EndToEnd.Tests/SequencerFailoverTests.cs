using System.Collections.Concurrent;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests;

/// <summary>Kills sequencer instances mid-stream: its own stack, since it breaks processes on purpose.</summary>
public sealed class SequencerFailoverTests : IAsyncLifetime
{
    private FanoutStack _stack = null!;
    private IngestClient _ingest = null!;

    public async Task InitializeAsync()
    {
        _stack = await FanoutStack.StartAsync(new StackOptions { Sequencers = 2, RealtimeNodes = 1, Partitions = 4 });
        _ingest = new IngestClient(_stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        _ingest.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task KillingTheActiveSequencerMidStreamLosesAndDuplicatesNothing()
    {
        var rooms = Enumerable.Range(0, 8).Select(i => $"failover{i}:{Guid.NewGuid():N}"[..20]).ToArray();
        await using var client = await RecordingClient.ConnectAsync(_stack, 0);
        foreach (var room in rooms)
        {
            await client.SubscribeAsync(room);
        }

        var accepted = new ConcurrentBag<(string Room, string Id)>();
        var publishedCount = 0;
        var publishers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
        {
            for (var n = 0; n < 200; n++)
            {
                var room = rooms[(n + p) % rooms.Length];
                accepted.Add((room, await _ingest.PublishAsync(room, "msg", new { p, n })));
                Interlocked.Increment(ref publishedCount);
            }
        })).ToList();

        // Kill both instances one after the other while publishing goes on, restarting each, so every partition
        // changes hands at least once with messages in flight.
        await Eventually.HoldsAsync(() => Volatile.Read(ref publishedCount) >= 150, "publishing under way");
        await _stack.Sequencers[0].KillAsync();
        await Eventually.HoldsAsync(() => Volatile.Read(ref publishedCount) >= 350, "publishing continues on the survivor");
        _stack.Sequencers[0].Start();
        await _stack.Sequencers[0].WaitReadyAsync();
        await _stack.Sequencers[1].KillAsync();
        await Task.WhenAll(publishers);
        _stack.Sequencers[1].Start();

        foreach (var room in rooms)
        {
            var expected = accepted.Where(a => a.Room == room).Select(a => a.Id).ToList();
            await Eventually.HoldsAsync(async () => (await _ingest.ReadAllAsync(room)).Last.LastSeq >= expected.Count,
                $"{room} has all {expected.Count} accepted events stored", TimeSpan.FromSeconds(60));
            var (last, history) = await _ingest.ReadAllAsync(room);
            last.LastSeq.ShouldBe(expected.Count, $"no duplicate stored in {room}");
            history.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, expected.Count).Select(i => (long)i));
            history.Select(e => e.Id.ToString()).ShouldBe(expected, ignoreOrder: true);
            foreach (var byPublisher in history.GroupBy(e => e.Data.GetProperty("p").GetInt32()))
            {
                var ns = byPublisher.Select(e => e.Data.GetProperty("n").GetInt32()).ToList();
                ns.ShouldBe(ns.Order().ToList(), $"publisher {byPublisher.Key} order in {room}");
            }

            await client.WaitForAsync(room, expected.Count, TimeSpan.FromSeconds(60));
            client.Events(room).Select(e => e.Seq).ShouldBe(Enumerable.Range(1, expected.Count).Select(i => (long)i), $"delivered in {room}");
        }
    }
}
