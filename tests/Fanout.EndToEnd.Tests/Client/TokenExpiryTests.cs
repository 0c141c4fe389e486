using Fanout.Testing;

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
}
