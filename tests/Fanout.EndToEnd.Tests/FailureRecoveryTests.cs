using System.Collections.Concurrent;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests;

/// <summary>
/// Processes die or restart mid-stream while clients recover: its own stack per test, since it breaks processes on
/// purpose.
/// </summary>
public sealed class FailureRecoveryTests : IAsyncLifetime
{
    private FanoutStack _stack = null!;
    private IngestClient _ingest = null!;

    public async Task InitializeAsync()
    {
        _stack = await FanoutStack.StartAsync(new StackOptions { Sequencers = 2, RealtimeNodes = 2, Partitions = 4 });
        _ingest = new IngestClient(_stack.CreateIngestClient());
    }

    public async Task DisposeAsync()
    {
        _ingest.Dispose();
        await _stack.DisposeAsync();
    }

    [Fact]
    public async Task ClientsOfAKilledNodeReconnectToTheOtherAndRecoverWithNoLossAndNoDuplicate()
    {
        var rooms = Enumerable.Range(0, 4).Select(i => $"killed{i}:{Guid.NewGuid():N}"[..20]).ToArray();
        var clients = Enumerable.Range(0, 100).Select(i => new ResumableClient(_stack, rooms[i % rooms.Length])).ToList();
        try
        {
            await Task.WhenAll(clients.Select(c => c.ConnectAsync(0)));
            var published = new ConcurrentDictionary<string, int>();
            var publishing = PublishAsync(rooms, perRoom: 150, published);

            await Eventually.HoldsAsync(() => published.Values.Sum() >= 200, "publishing under way");
            await _stack.Nodes[0].KillAsync();
            await Task.WhenAll(clients.Select(c => c.ConnectAsync(1, TimeSpan.FromSeconds(60))));
            await publishing;

            foreach (var client in clients)
            {
                await client.WaitForAsync(150, TimeSpan.FromSeconds(60));
                client.Events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, 150).Select(i => (long)i), $"{client.Room}");
                client.LastResult!.Recovered.ShouldBeTrue();
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    [Fact]
    public async Task RestartingAFanoutInstanceMidStreamStoresEveryAcceptedEventAndDeliversItOnce()
    {
        var rooms = Enumerable.Range(0, 8).Select(i => $"restart{i}:{Guid.NewGuid():N}"[..21]).ToArray();
        var clients = rooms.SelectMany(room => new[] { new ResumableClient(_stack, room), new ResumableClient(_stack, room) }).ToList();
        try
        {
            for (var i = 0; i < clients.Count; i++)
            {
                await clients[i].ConnectAsync(i % 2);
            }

            var accepted = new ConcurrentBag<(string Room, string Id)>();
            var count = 0;
            var publishers = Enumerable.Range(0, 4).Select(p => Task.Run(async () =>
            {
                for (var n = 0; n < 150; n++)
                {
                    var room = rooms[(n + p) % rooms.Length];
                    accepted.Add((room, await _ingest.PublishAsync(room, "msg", new { p, n })));
                    Interlocked.Increment(ref count);
                }
            })).ToList();

            await Eventually.HoldsAsync(() => Volatile.Read(ref count) >= 150, "publishing under way");
            await _stack.Sequencers[0].StopAsync();
            _stack.Sequencers[0].Start();
            await _stack.Sequencers[0].WaitReadyAsync();
            await Eventually.HoldsAsync(() => Volatile.Read(ref count) >= 400, "publishing continues");
            await _stack.Sequencers[1].StopAsync();
            _stack.Sequencers[1].Start();
            await Task.WhenAll(publishers);

            foreach (var room in rooms)
            {
                var expected = accepted.Where(a => a.Room == room).Select(a => a.Id).ToList();
                await _ingest.WaitForStoredAsync(room, expected.Count);
                var (last, history) = await _ingest.ReadAllAsync(room);
                last.LastSeq.ShouldBe(expected.Count, $"nothing stored twice in {room}");
                history.Select(e => e.Id.ToString()).ShouldBe(expected, ignoreOrder: true);
            }

            foreach (var client in clients)
            {
                var expected = accepted.Count(a => a.Room == client.Room);
                await client.WaitForAsync(expected, TimeSpan.FromSeconds(60));
                client.Events.Select(e => e.Seq).ShouldBe(Enumerable.Range(1, expected).Select(i => (long)i), client.Room);
            }
        }
        finally
        {
            await Task.WhenAll(clients.Select(c => c.DisposeAsync().AsTask()));
        }
    }

    private Task PublishAsync(string[] rooms, int perRoom, ConcurrentDictionary<string, int> published) =>
        Task.WhenAll(rooms.Select(room => Task.Run(async () =>
        {
            for (var n = 0; n < perRoom; n++)
            {
                await _ingest.PublishAsync(room, "msg", n);
                published.AddOrUpdate(room, 1, (_, c) => c + 1);
                await Task.Delay(10);
            }
        })));
}
