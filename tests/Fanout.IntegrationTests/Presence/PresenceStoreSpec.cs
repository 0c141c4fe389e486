using Fanout.PresenceStore;
using Fanout.Testing;

namespace Fanout.IntegrationTests.Presence;

/// <summary>
/// The guarantees written on <see cref="IPresenceStore"/>, <see cref="INodeRegistry"/> and <see cref="ILeaderLease"/>,
/// run against every implementation (Redis, in-memory).
/// </summary>
public abstract class PresenceStoreSpec
{
    private static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(1);

    protected sealed record Stores(INodeRegistry Registry, IPresenceStore Store, ILeaderLease Lease);

    /// <summary>Fresh stores that share nothing with any other call (a new key prefix).</summary>
    protected abstract Stores Create(int maxTransitions = 100_000);

    [Fact]
    public async Task TheFirstConnectionOfAUserJoinsAndTheLastLeavesWithOneTransitionEach()
    {
        var (registry, store, _) = Create();
        await Register(registry, "n1");
        await Register(registry, "n2");

        (await store.AddAsync(Entry("room-a", "n1", "c1", "alice"))).ShouldBe(AddOutcome.Joined);
        (await store.AddAsync(Entry("room-a", "n2", "c2", "alice"))).ShouldBe(AddOutcome.Added);
        (await store.RemoveAsync("n1", new PresenceEntryKey("room-a", "c1"))).ShouldBeTrue();
        (await store.GetMembersAsync("room-a")).Single().Connections.ShouldBe(1);
        (await store.RemoveAsync("n2", new PresenceEntryKey("room-a", "c2"))).ShouldBeTrue();

        var transitions = await store.TakeTransitionsAsync(100);
        transitions.Select(t => (t.Room, t.UserId, t.Action)).ShouldBe(
            [("room-a", "alice", PresenceAction.Join), ("room-a", "alice", PresenceAction.Leave)]);
        (await store.GetMembersAsync("room-a")).ShouldBeEmpty();
        (await store.TakeTransitionsAsync(100)).ShouldBeEmpty();
    }

    [Fact]
    public async Task AddingAndRemovingAreIdempotentAndLogNothingTheSecondTime()
    {
        var (registry, store, _) = Create();
        await Register(registry, "n1");

        (await store.AddAsync(Entry("room-a", "n1", "c1", "bob"))).ShouldBe(AddOutcome.Joined);
        (await store.AddAsync(Entry("room-a", "n1", "c1", "bob"))).ShouldBe(AddOutcome.AlreadyPresent);
        (await store.GetStatsAsync("room-a")).ShouldBe(new RoomPresenceStats("room-a", 1, 1));
        (await store.RemoveAsync("n1", new PresenceEntryKey("room-a", "c1"))).ShouldBeTrue();
        (await store.RemoveAsync("n1", new PresenceEntryKey("room-a", "c1"))).ShouldBeFalse();

        (await store.TakeTransitionsAsync(100)).Count.ShouldBe(2);
        (await store.GetStatsAsync("room-a")).ShouldBe(new RoomPresenceStats("room-a", 0, 0));
    }

    [Fact]
    public async Task AnEntryOfANodeThatIsNotRegisteredIsRefused()
    {
        var (_, store, _) = Create();

        (await store.AddAsync(Entry("room-a", "ghost", "c1", "carol"))).ShouldBe(AddOutcome.NodeNotRegistered);
        (await store.GetMembersAsync("room-a")).ShouldBeEmpty();
        (await store.TakeTransitionsAsync(100)).ShouldBeEmpty();
    }

    [Fact]
    public async Task MembersCountConnectionsOnEveryNodeAndKeepTheFirstJoinTimeAndName()
    {
        var (registry, store, _) = Create();
        await Register(registry, "n1");
        await Register(registry, "n2");
        var before = DateTimeOffset.UtcNow.AddSeconds(-5);

        await store.AddAsync(Entry("room-a", "n1", "c1", "alice", "Alice A."));
        await store.AddAsync(Entry("room-a", "n2", "c2", "alice", "Alice A."));
        await store.AddAsync(Entry("room-a", "n2", "c3", "bob"));
        await store.AddAsync(Entry("room-b", "n2", "c3", "bob"));

        var members = await store.GetMembersAsync("room-a");
        members.Select(m => (m.UserId, m.Connections, m.Name)).ShouldBe([("alice", 2, "Alice A."), ("bob", 1, (string?)null)]);
        members.ShouldAllBe(m => m.JoinedAt > before && m.JoinedAt < DateTimeOffset.UtcNow.AddSeconds(5));
        (await store.GetStatsAsync("room-a")).ShouldBe(new RoomPresenceStats("room-a", 2, 3));
        (await store.GetNodeEntriesAsync("n2")).ShouldBe(
            [new PresenceEntryKey("room-a", "c2"), new PresenceEntryKey("room-a", "c3"), new PresenceEntryKey("room-b", "c3")],
            ignoreOrder: true);
    }

    [Fact]
    public async Task AHeartbeatSaysRegisteredOnlyWhenTheNodeWasNotKnownAndNodesListTheirFigures()
    {
        var (registry, _, _) = Create();
        var started = DateTimeOffset.UtcNow.AddMinutes(-3);

        (await registry.HeartbeatAsync(new NodeHeartbeat("n1", "http://10.0.0.1:80", 5, 7, started), LongTtl)).ShouldBeTrue();
        (await registry.HeartbeatAsync(new NodeHeartbeat("n1", "http://10.0.0.1:80", 6, 8, started, Rooms: 4, DeliveriesPerSecond: 1234.56), LongTtl))
            .ShouldBeFalse();

        var node = (await registry.GetLiveNodesAsync()).ShouldHaveSingleItem();
        (node.NodeId, node.Address, node.Connections, node.Subscriptions).ShouldBe(("n1", "http://10.0.0.1:80", 6, 8));
        (node.Rooms, node.DeliveriesPerSecond).ShouldBe((4, 1234.6), "rooms, and the delivery rate to a tenth");
        node.StartedAt.ToUnixTimeMilliseconds().ShouldBe(started.ToUnixTimeMilliseconds());
        node.ExpiresAt.ShouldBeGreaterThan(node.LastHeartbeatAt);

        await registry.DeregisterAsync("n1");
        (await registry.GetLiveNodesAsync()).ShouldBeEmpty();
        (await registry.HeartbeatAsync(new NodeHeartbeat("n1", "", 0, 0, started), LongTtl)).ShouldBeTrue();
    }

    [Fact]
    public async Task ALapsedNodeIsClaimedByOneSweeperAndItsEvictionLogsItsUsersLeaves()
    {
        var (registry, store, _) = Create();
        await registry.HeartbeatAsync(new NodeHeartbeat("dying", "", 2, 2, DateTimeOffset.UtcNow), TimeSpan.FromMilliseconds(300));
        await Register(registry, "healthy");
        await store.AddAsync(Entry("room-a", "dying", "c1", "alice"));
        await store.AddAsync(Entry("room-a", "dying", "c2", "bob"));
        await store.AddAsync(Entry("room-a", "healthy", "c3", "bob"));
        await store.TakeTransitionsAsync(100);

        var claims = new List<string>();
        await Eventually.HoldsAsync(async () =>
        {
            var round = await Task.WhenAll(registry.ClaimLapsedAsync(10), registry.ClaimLapsedAsync(10), registry.ClaimLapsedAsync(10));
            claims.AddRange(round.SelectMany(c => c));
            return claims.Count > 0;
        }, "the dying node is claimed", TimeSpan.FromSeconds(10));

        claims.ShouldBe(["dying"]);
        (await registry.GetLiveNodesAsync()).Select(n => n.NodeId).ShouldBe(["healthy"]);
        (await registry.GetPendingEvictionsAsync()).ShouldBe(["dying"]);

        var outcome = await store.EvictNodeAsync("dying", 1);
        outcome.ShouldBe(new EvictionOutcome(1, 1, NodeIsBack: false));
        outcome = await store.EvictNodeAsync("dying", 10);
        outcome.ShouldBe(new EvictionOutcome(1, 0, NodeIsBack: false));
        await registry.CompleteEvictionAsync("dying");

        (await registry.GetPendingEvictionsAsync()).ShouldBeEmpty();
        (await store.TakeTransitionsAsync(100)).Select(t => (t.UserId, t.Action)).ShouldBe([("alice", PresenceAction.Leave)]);
        (await store.GetMembersAsync("room-a")).Select(m => (m.UserId, m.Connections)).ShouldBe([("bob", 1)]);
        (await store.GetNodeEntriesAsync("dying")).ShouldBeEmpty();
    }

    [Fact]
    public async Task EvictionStopsAsSoonAsTheNodeRegistersAgain()
    {
        var (registry, store, _) = Create();
        await Register(registry, "n1");
        await store.AddAsync(Entry("room-a", "n1", "c1", "alice"));
        await registry.DeregisterAsync("n1");
        await Register(registry, "n1");

        (await store.EvictNodeAsync("n1", 10)).ShouldBe(new EvictionOutcome(0, 1, NodeIsBack: true));
        (await store.GetMembersAsync("room-a")).ShouldHaveSingleItem();
    }

    [Fact]
    public async Task ConcurrentWritersOnSeveralNodesKeepCountsExactAndEachUsersTransitionsAlternate()
    {
        var (registry, store, _) = Create();
        string[] nodes = ["n1", "n2", "n3"];
        foreach (var node in nodes)
        {
            await Register(registry, node);
        }

        // 3 nodes × 4 connections of 5 users, each subscribing and unsubscribing room-a 10 times at once.
        var work = nodes.SelectMany(node => Enumerable.Range(0, 4).Select(async connection =>
        {
            var entry = Entry("room-a", node, $"c{connection}", $"user-{connection % 5}");
            for (var i = 0; i < 10; i++)
            {
                await store.AddAsync(entry);
                await store.RemoveAsync(node, entry.Key);
            }

            await store.AddAsync(entry);
        }));
        await Task.WhenAll(work);

        var members = await store.GetMembersAsync("room-a");
        members.Sum(m => m.Connections).ShouldBe(12);
        members.Select(m => m.UserId).ShouldBe(["user-0", "user-1", "user-2", "user-3"]);
        var transitions = await store.TakeTransitionsAsync(10_000);
        foreach (var user in transitions.GroupBy(t => t.UserId))
        {
            var actions = user.Select(t => t.Action).ToList();
            for (var i = 0; i < actions.Count; i++)
            {
                actions[i].ShouldBe(i % 2 == 0 ? PresenceAction.Join : PresenceAction.Leave, $"{user.Key}'s transition {i}");
            }

            actions[^1].ShouldBe(PresenceAction.Join);
        }
    }

    [Fact]
    public async Task TheTransitionLogKeepsTheNewestWhenNobodyTakesFromIt()
    {
        var (registry, store, _) = Create(maxTransitions: 1_000);
        await Register(registry, "n1");

        for (var i = 0; i < 1_010; i++)
        {
            await store.AddAsync(Entry("room-a", "n1", $"c{i}", $"user-{i}"));
        }

        var kept = await store.TakeTransitionsAsync(5_000);
        kept.Count.ShouldBe(1_000);
        kept[0].UserId.ShouldBe("user-10");
        kept[^1].UserId.ShouldBe("user-1009");
    }

    [Fact]
    public async Task ALeaseHasOneOwnerUntilItIsReleasedOrLapses()
    {
        var (_, _, lease) = Create();

        (await lease.TryHoldAsync("relay", "a", TimeSpan.FromMilliseconds(400))).ShouldBeTrue();
        (await lease.TryHoldAsync("relay", "b", TimeSpan.FromMinutes(1))).ShouldBeFalse();
        (await lease.TryHoldAsync("relay", "a", TimeSpan.FromMilliseconds(400))).ShouldBeTrue();
        await Eventually.HoldsAsync(() => lease.TryHoldAsync("relay", "b", TimeSpan.FromMinutes(1)), "b takes the lapsed lease",
            TimeSpan.FromSeconds(10));
        (await lease.TryHoldAsync("relay", "a", TimeSpan.FromMinutes(1))).ShouldBeFalse();
        await lease.ReleaseAsync("relay", "b");
        (await lease.TryHoldAsync("relay", "a", TimeSpan.FromMinutes(1))).ShouldBeTrue();
    }

    private static Task<bool> Register(INodeRegistry registry, string nodeId) =>
        registry.HeartbeatAsync(new NodeHeartbeat(nodeId, "", 0, 0, DateTimeOffset.UtcNow), LongTtl);

    private static PresenceEntry Entry(string room, string node, string connection, string user, string? name = null) =>
        new(room, node, connection, user, name);
}
