using Fanout.EndToEnd.Tests.Support;
using Fanout.Messaging;
using Fanout.Testing;

namespace Fanout.EndToEnd.Tests;

[Collection(SharedStackCollection.Name)]
public sealed class RoutingTests(SharedStackFixture fixture)
{
    /// <summary>
    /// RabbitMQ 4.3 refuses transient non-exclusive queues (deprecated since 3.13): every queue the services declare,
    /// MassTransit's included, is durable or exclusive, and a node's queue (durable) still goes away by itself.
    /// </summary>
    [Fact]
    public async Task EveryQueueTheServicesDeclareIsOneCurrentRabbitMqAccepts()
    {
        var queues = await fixture.Stack.Vhost.GetQueuesAsync();
        queues.Count(q => q.Name.StartsWith("fanout.node.", StringComparison.Ordinal)).ShouldBe(2);
        queues.Where(q => !q.Durable && !q.Exclusive).Select(q => q.Name).ShouldBeEmpty("transient non-exclusive queues");
        foreach (var node in queues.Where(q => q.Name.StartsWith("fanout.node.", StringComparison.Ordinal)))
        {
            node.Arguments.Keys.ShouldContain("x-expires", $"{node.Name} expires once its node is gone");
        }
    }

    [Fact]
    public async Task ANodeWithoutSubscribersOfARoomGetsNoneOfItsTraffic()
    {
        var room = $"routed:{Guid.NewGuid():N}";
        var nodeQueues = await fixture.Stack.Vhost.GetQueueNamesAsync();
        nodeQueues.Count(q => q.StartsWith("fanout.node.", StringComparison.Ordinal)).ShouldBe(2);

        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(room);

        var nodeA = BrokerNames.NodeQueue($"{fixture.Stack.Vhost.Name}-node-1");
        var nodeB = BrokerNames.NodeQueue($"{fixture.Stack.Vhost.Name}-node-2");
        (await fixture.Stack.Vhost.GetBindingKeysAsync(nodeA)).ShouldContain(room);
        (await fixture.Stack.Vhost.GetBindingKeysAsync(nodeB)).ShouldNotContain(room);

        var beforeA = await fixture.Stack.Vhost.GetPublishedCountAsync(nodeA);
        // Node B may still get stray messages of earlier tests' rooms (a leave relayed as its last member went): count
        // from once its statistics have held still across a statistics interval.
        var beforeB = await SettledPublishedCountAsync(nodeB);
        for (var i = 0; i < 50; i++)
        {
            await fixture.Ingest.PublishAsync(room, "msg", i);
        }

        await client.WaitForAsync(room, 50);

        // The broker's statistics lag by its collection interval: wait until node A's count has moved and then
        // held still over three readings, so the statistics cover all of this room's traffic.
        var readings = new List<long>();
        await Eventually.HoldsAsync(
            async () =>
            {
                readings.Add(await fixture.Stack.Vhost.GetPublishedCountAsync(nodeA));
                return readings.Count >= 3 && readings[^1] > beforeA && readings[^3] == readings[^1];
            },
            "node A's queue statistics show the room's traffic and have settled",
            TimeSpan.FromSeconds(30));
        (await fixture.Stack.Vhost.GetPublishedCountAsync(nodeB)).ShouldBe(beforeB, "node B has no subscriber of the room");

        await client.UnsubscribeAsync(room);
        await Eventually.HoldsAsync(async () => !(await fixture.Stack.Vhost.GetBindingKeysAsync(nodeA)).Contains(room),
            "the last subscriber leaving unbinds the room");
    }

    /// <summary>The queue's published count once it has not changed for 6 s (longer than the broker's 5 s statistics interval).</summary>
    private async Task<long> SettledPublishedCountAsync(string queue)
    {
        var value = await fixture.Stack.Vhost.GetPublishedCountAsync(queue);
        var since = System.Diagnostics.Stopwatch.StartNew();
        await Eventually.HoldsAsync(
            async () =>
            {
                var now = await fixture.Stack.Vhost.GetPublishedCountAsync(queue);
                if (now != value)
                {
                    (value, since) = (now, System.Diagnostics.Stopwatch.StartNew());
                }

                return since.Elapsed > TimeSpan.FromSeconds(6);
            },
            $"{queue}'s statistics hold still",
            TimeSpan.FromSeconds(40));
        return value;
    }
}
