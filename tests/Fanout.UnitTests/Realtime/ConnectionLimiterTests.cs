using Fanout.Realtime.Limits;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Realtime;

public sealed class ConnectionLimiterTests
{
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
    public void SubscriptionsAreCountedOncePerRoom()
    {
        using var limiter = Limiter(new ConnectionLimitsOptions { MaxSubscriptionsPerConnection = 2 });
        limiter.Connected("c1", "u");
        limiter.AddRoom("Subscribe", "c1", "a");
        limiter.AddRoom("Subscribe", "c1", "b");
        limiter.AddRoom("Subscribe", "c1", "a");

        Should.Throw<HubException>(() => limiter.AddRoom("Subscribe", "c1", "c")).Message.ShouldStartWith("106: Subscribe: the connection already holds 2 subscriptions");
        limiter.RemoveRoom("c1", "a");
        limiter.AddRoom("Subscribe", "c1", "c");
    }

    private static ConnectionLimiter Limiter(ConnectionLimitsOptions options) => new(Options.Create(options));
}
