using Fanout.Realtime.Connections;
using Fanout.Realtime.Limits;
using Fanout.Realtime.Memory;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class ConnectionLimiterTests
{
    private readonly NodeConnections _connections = new();

    [Fact]
    public void PublishBeyondTheBurstIsRefusedWithARetryTimePerConnection()
    {
        using var limiter = Limiter(new ConnectionLimitsOptions { PublishPerSecond = 1, PublishBurst = 2 });
        limiter.Connected("c1", "u");
        limiter.Connected("c2", "u");

        limiter.AcquirePublish("Publish", "c1");
        limiter.AcquirePublish("Publish", "c1");
        var refused = Should.Throw<HubException>(() => limiter.AcquirePublish("Publish", "c1"));
        limiter.AcquirePublish("Publish", "c2");

        refused.Message.ShouldMatch(@"^111 temporary: Publish: rate limit exceeded; retry in \d+ ms$");
    }

    [Fact]
    public void ConnectionsPerUserAreCountedAndReleased()
    {
        using var limiter = Limiter(new ConnectionLimitsOptions { MaxConnectionsPerUser = 1 });
        limiter.Connected("c1", "u");

        Should.Throw<HubException>(() => limiter.Connected("c2", "u")).Message.ShouldStartWith("106: too many connections: user 'u' already holds 1");
        limiter.Connected("c3", "v");
        limiter.Disconnected("c1");
        limiter.Disconnected("c2");
        limiter.Connected("c4", "u");
    }

    [Fact]
    public void SubscriptionsAreCountedOncePerRoomFromTheRoomsTheConnectionHolds()
    {
        using var limiter = Limiter(new ConnectionLimitsOptions { MaxSubscriptionsPerConnection = 2 });
        limiter.Connected("c1", "u");
        var rooms = _connections.TryGet("c1", out var c1) ? c1.Rooms : throw new InvalidOperationException("no record");
        rooms.Set("a", null!);
        rooms.Set("b", null!);

        limiter.CheckRoom("Subscribe", "c1", "a");
        Should.Throw<HubException>(() => limiter.CheckRoom("Subscribe", "c1", "c")).Message.ShouldStartWith("106: Subscribe: the connection already holds 2 subscriptions");
        rooms.Remove("a", out _);
        limiter.CheckRoom("Subscribe", "c1", "c");
    }

    [Fact]
    public void ConnectionsBeyondTheNodesLimitAreRefusedAndAClosedOneMakesRoom()
    {
        using var limiter = Limiter(new ConnectionLimitsOptions { MaxConnections = 2 });
        limiter.Connected("c1", "u");
        limiter.Connected("c2", "v");

        Should.Throw<HubException>(() => limiter.Connected("c3", "w")).Message.ShouldStartWith("106: too many connections: this node holds 2");
        limiter.Connections.ShouldBe(2);
        limiter.Disconnected("c3");
        limiter.Disconnected("c1");
        limiter.Connected("c4", "w");
        limiter.Connections.ShouldBe(2);
    }

    private ConnectionLimiter Limiter(ConnectionLimitsOptions options)
    {
        var budget = new OutboxBudget(Options.Create(new MemoryBudgetOptions()));
        foreach (var id in new[] { "c1", "c2", "c3", "c4" })
        {
            var context = PipeHubConnection.Create(id);
            _connections.Add(new NodeConnection(context, new ConnectionOutbox(context, new SlowConsumerOptions(), budget, NullLogger.Instance)));
        }

        return new ConnectionLimiter(Options.Create(options), _connections);
    }
}
