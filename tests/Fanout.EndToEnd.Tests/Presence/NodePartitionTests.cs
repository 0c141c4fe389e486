using Fanout.EndToEnd.Tests.Support;
using Fanout.Messaging;
using Fanout.Testing;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Presence;

/// <summary>
/// A node that is cut off long enough to be declared dead (frozen with SIGSTOP: no heartbeat, no broker traffic) and
/// then comes back: it re-registers everything it holds and its clients get every event, once, in order.
/// </summary>
public sealed class NodePartitionTests() : StackLifetime(new StackOptions { Sequencers = 1, RealtimeNodes = 2, Partitions = 2 })
{
    public override async Task DisposeAsync()
    {
        await Stack.Nodes[1].ResumeAsync();
        await base.DisposeAsync();
    }

    [Fact]
    public async Task ANodeDeclaredDeadThatComesBackReRegistersItsPresenceAndMissesNoEvent()
    {
        const string room = "partition:lobby";
        var api = new PresenceApi(Ingest.Http);
        await using var watcher = await RecordingClient.ConnectAsync(Stack, 0, "watcher");
        await using var cutOff = await RecordingClient.ConnectAsync(Stack, 1, "cut-off");
        await watcher.SubscribeAsync(room);
        await cutOff.SubscribeAsync(room);
        for (var i = 0; i < 10; i++)
        {
            await Ingest.PublishAsync(room, "before", i);
        }

        await cutOff.WaitForAsync(room, 10);
        var queue = BrokerNames.NodeQueue($"{Stack.Vhost.Name}-node-2");

        await Stack.Nodes[1].PauseAsync();
        await Eventually.HoldsAsync(async () => !(await Stack.Vhost.GetQueueNamesAsync()).Contains(queue),
            "the frozen node is declared dead and its queue deleted", TimeSpan.FromSeconds(20));
        (await api.MemberCountsAsync(room)).Keys.ShouldBe(["watcher"]);
        for (var i = 10; i < 20; i++)
        {
            await Ingest.PublishAsync(room, "while-dead", i);
        }

        await Stack.Nodes[1].ResumeAsync();
        await Eventually.HoldsAsync(async () => (await api.MemberCountsAsync(room)).ContainsKey("cut-off"),
            "the node re-registers its user", TimeSpan.FromSeconds(10));
        (await api.NodesAsync()).Nodes.Count.ShouldBe(2);
        await Eventually.HoldsAsync(async () => (await Stack.Vhost.GetBindingKeysAsync(queue)).Contains(room),
            "the node declared its queue again and bound its room", TimeSpan.FromSeconds(10));
        for (var i = 20; i < 30; i++)
        {
            await Ingest.PublishAsync(room, "after", i);
        }

        await cutOff.WaitForAsync(room, 30);
        cutOff.Events(room).Select(e => e.Seq).ShouldBe(Enumerable.Range(1, 30).Select(i => (long)i), "every event once, in order");
        var cutOffMessages = watcher.PresenceMessages(room).Where(m => m.UserId == "cut-off").Select(m => m.Action).ToList();
        cutOffMessages.ShouldBe(["join", "leave", "join"], "its user was seen leaving when the node was declared dead, and back");
    }
}
