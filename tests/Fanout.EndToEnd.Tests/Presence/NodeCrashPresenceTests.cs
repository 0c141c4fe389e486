using System.Diagnostics;
using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Messaging;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Presence;

/// <summary>A realtime node is killed (SIGKILL, no goodbye) while 50 users are subscribed through it.</summary>
public sealed class NodeCrashPresenceTests() : StackLifetime(new StackOptions { Sequencers = 1, RealtimeNodes = 2, Partitions = 2 })
{
    /// <summary>
    /// Documented bound (docs/delivery-guarantees.md): heartbeat TTL 6 s + sweep interval 2 s, plus relay and routing
    /// well under 1 s, with the defaults; the assertions allow 5 s more for a loaded two-core CI machine.
    /// </summary>
    private static readonly TimeSpan CrashBound = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task AKilledNodesUsersLeaveItsRegistrationGoesAndNothingIsRoutedToItAnyMore()
    {
        string[] rooms = ["crash:a", "crash:b", "crash:c"];
        var api = new PresenceApi(Ingest.Http);
        var watcher = await RecordingClient.ConnectAsync(Stack, 0, "watcher");
        foreach (var room in rooms)
        {
            await watcher.SubscribeAsync(room);
        }

        var doomed = new List<RecordingClient>();
        for (var i = 0; i < 50; i++)
        {
            var client = await RecordingClient.ConnectAsync(Stack, 1, $"doomed-{i:D2}");
            await client.SubscribeAsync(rooms[i % rooms.Length]);
            doomed.Add(client);
        }

        await Eventually.HoldsAsync(async () => (await Task.WhenAll(rooms.Select(api.StatsAsync))).Sum(s => s.Users) == 53,
            "the 50 users and the watcher (in 3 rooms) are present");
        var deadQueue = BrokerNames.NodeQueue($"{Stack.Vhost.Name}-node-2");
        (await Stack.Vhost.GetQueueNamesAsync()).ShouldContain(deadQueue);

        var killed = Stopwatch.StartNew();
        await Stack.Nodes[1].KillAsync();

        await Eventually.HoldsAsync(async () => (await api.NodesAsync()).Nodes.Count == 1, "/v1/nodes drops the killed node", CrashBound);
        var nodeGone = killed.Elapsed;
        await Eventually.HoldsAsync(async () => (await Task.WhenAll(rooms.Select(api.StatsAsync))).All(s => s is { Users: 1, Connections: 1 }),
            "presence shows none of the killed node's users", CrashBound - killed.Elapsed);
        await Eventually.HoldsAsync(async () => !(await Stack.Vhost.GetQueueNamesAsync()).Contains(deadQueue),
            "the fanout service deleted the dead node's queue", CrashBound - killed.Elapsed);
        var cleaned = killed.Elapsed;
        await Eventually.HoldsAsync(() => rooms.Sum(r => watcher.PresenceMessages(r).Count(m => m.Action == PresenceMessage.Leave)) == 50,
            "the watcher got a leave for each of the 50 users", CrashBound);

        // Events of the dead node's rooms still reach the live node, and nothing piles up for the dead one.
        foreach (var room in rooms)
        {
            await Ingest.PublishAsync(room, "after-crash", null);
        }

        foreach (var room in rooms)
        {
            await watcher.WaitForAsync(room, 1);
        }

        (await Stack.Vhost.GetQueueNamesAsync()).ShouldNotContain(deadQueue);
        (await Stack.Vhost.GetQueueDepthAsync(deadQueue)).ShouldBe(0);
        Console.WriteLine($"node crash: node listed dead after {nodeGone.TotalSeconds:F1} s, cleaned up after {cleaned.TotalSeconds:F1} s");

        await watcher.DisposeAsync();
        foreach (var client in doomed)
        {
            await client.DisposeAsync();
        }
    }
}
