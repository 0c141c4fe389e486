using Fanout.Client;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Fanout.Testing.Stack;

namespace Fanout.EndToEnd.Tests.Client;

/// <summary>A node closes a connection whose token expired; the client reconnects with a fresh token and loses nothing.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class TokenExpiryTests(ClientStackFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.RestartStoppedNodesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ShortLivedTokenLeadsToAReconnectWithAFreshTokenAndNoLostEvents()
    {
        var room = $"expiry:{Guid.NewGuid():N}"[..20];
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, TimeSpan.FromSeconds(3), 0, 1);
        await probe.SubscribeAsync(room);

        // Publish throughout at least two token lifetimes, so events arrive before, across and after each close.
        const int count = 40;
        for (var i = 1; i <= count; i++)
        {
            await fixture.Ingest.PublishAsync(room, "msg", i);
            await Task.Delay(200);
        }

        await Eventually.HoldsAsync(() => probe.Disconnections.Count >= 2, "the node closed the connection at each token expiry");
        probe.Disconnections.ShouldAllBe(d => d.Error != null && d.Error.Message.Contains("token expired"));
        await probe.WaitForAsync(room, count);
        probe.Events(room).Select(e => e.Seq).ShouldBe(Enumerable.Range(1, count).Select(i => (long)i));
        probe.TokenRequests.ShouldBeGreaterThanOrEqualTo(3);
    }

    [Fact]
    public async Task TheRefreshCallbackIsAskedOnlyWhenTheServerSaysTheTokenExpiredAndTheRoomIsRecovered()
    {
        var room = $"refresh:{Guid.NewGuid():N}"[..21];
        var (provided, refreshed) = (0, 0);
        var expiring = TestTokens.Create("refresh-user", FanoutStack.SigningKey, TimeSpan.FromSeconds(3));
        var states = new System.Collections.Concurrent.ConcurrentQueue<SubscriptionStateChanged>();
        await using var client = new FanoutClient(new FanoutClientOptions
        {
            HubUrl = fixture.Stack.HubUrl(0),
            AccessTokenProvider = () =>
            {
                Interlocked.Increment(ref provided);
                return Task.FromResult<string?>(expiring);
            },
            RefreshToken = _ =>
            {
                Interlocked.Increment(ref refreshed);
                return Task.FromResult<string?>(TestTokens.Create("refresh-user", FanoutStack.SigningKey));
            },
            ReconnectDelayBase = TimeSpan.FromMilliseconds(200),
        });
        client.SubscriptionStateChanged += states.Enqueue;
        using var timeout = new CancellationTokenSource(Eventually.DefaultTimeout);
        await client.StartAsync(timeout.Token);
        var seen = new List<long>();
        await using var subscription = await client.SubscribeAsync(room, e => { lock (seen) { seen.Add(e.Seq); } }, cancellationToken: timeout.Token);

        await Eventually.HoldsAsync(() => Volatile.Read(ref refreshed) == 1 && client.IsConnected, "the token expired, was refreshed once, and the client is back");
        await fixture.Ingest.PublishAsync(room, "msg", 1);
        await Eventually.HoldsAsync(() => { lock (seen) { return seen.Count == 1; } }, "the event after the refresh arrives");
        await Task.Delay(TimeSpan.FromSeconds(4));

        Volatile.Read(ref refreshed).ShouldBe(1, "the refreshed token does not expire, so it is not asked again");
        Volatile.Read(ref provided).ShouldBe(1, "after the refresh the provider is not asked again");
        states.Select(s => (s.State, s.Reason)).ShouldBe(
        [
            (SubscriptionState.Subscribing, "subscribe"), (SubscriptionState.Subscribed, "live"),
            (SubscriptionState.Subscribing, "connectionLost"), (SubscriptionState.Subscribed, "recovered"),
        ]);
    }
}
