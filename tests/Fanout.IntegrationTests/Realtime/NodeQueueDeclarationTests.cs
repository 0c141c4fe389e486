using Fanout.Realtime.Options;
using Fanout.Realtime.Routing;
using Fanout.Testing.Servers;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>A node's queue is durable and expiring (what RabbitMQ 4.3+ accepts), also where an older transient one is in the way.</summary>
public sealed class NodeQueueDeclarationTests
{
    [Fact]
    public async Task ATransientNodeQueueLeftByAnOlderVersionIsReplacedByADurableExpiringOne()
    {
        await using var vhost = await RabbitMqVhost.CreateAsync("node-queue");
        await using var connection = await vhost.ConnectAsync();
        var options = new RealtimeOptions { NodeId = "fixed-node", NodeQueueExpiresMs = 30_000 };
        var bindings = new RabbitMqRoomBindings(Options.Create(options), NullLogger<RabbitMqRoomBindings>.Instance);
        await using (var old = await connection.CreateChannelAsync())
        {
            // The shape of version 1's node queue, still there after a quick restart with a fixed node id.
            await old.QueueDeclareAsync(bindings.QueueName, durable: false, exclusive: false, autoDelete: false,
                arguments: new Dictionary<string, object?> { ["x-expires"] = 60_000 });
        }

        await bindings.BindAsync("room-a", CancellationToken.None);
        var channel = await bindings.RestoreAsync(connection, CancellationToken.None);
        channel.IsOpen.ShouldBeTrue();
        (await bindings.BindAsync("room-b", CancellationToken.None)).ShouldBeTrue();

        var queue = (await vhost.GetQueuesAsync()).Single(q => q.Name == bindings.QueueName);
        queue.Durable.ShouldBeTrue();
        queue.Exclusive.ShouldBeFalse();
        queue.Arguments["x-expires"].ShouldBe("30000");
        (await vhost.GetBindingKeysAsync(bindings.QueueName)).ShouldBe(["room-a", "room-b"], ignoreOrder: true);
        await bindings.DisposeAsync();
    }
}
