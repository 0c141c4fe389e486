using System.Net;
using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Fanout.Testing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.EndToEnd.Tests.Presence;

/// <summary>Who is in a room, join/leave, live nodes: through the hub and the HTTP API of a two-node cluster.</summary>
public abstract class PresenceTests(StackLifetime fixture)
{
    /// <summary>The documented bound for a clean disconnect's leave (docs/delivery-guarantees.md), plus slack for a loaded machine.</summary>
    private static readonly TimeSpan LeaveBound = TimeSpan.FromSeconds(3);

    private PresenceApi Api => new(fixture.Ingest.Http);

    [Fact]
    public async Task AUsersFirstConnectionJoinsAndTheirLastLeavesOnceWhateverNodesTheyAreOn()
    {
        var room = NewRoom("joinleave");
        await using var watcher = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await watcher.SubscribeAsync(room);
        var alice = $"alice-{Guid.NewGuid():N}"[..14];

        var first = await RecordingClient.ConnectAsync(fixture.Stack, 0, alice);
        var second = await RecordingClient.ConnectAsync(fixture.Stack, 1, alice);
        await first.SubscribeAsync(room);
        await second.SubscribeAsync(room);
        await Eventually.HoldsAsync(async () => (await Api.MemberCountsAsync(room)).GetValueOrDefault(alice) == 2,
            "alice is a member with 2 connections");

        await first.DisposeAsync();
        await Eventually.HoldsAsync(async () => (await Api.MemberCountsAsync(room)).GetValueOrDefault(alice) == 1,
            "alice has 1 connection left");
        var started = DateTime.UtcNow;
        await second.DisposeAsync();
        await Eventually.HoldsAsync(() => AliceMessages().Count == 2, "alice's leave reaches the watcher", LeaveBound);
        (await Api.MemberCountsAsync(room)).ShouldNotContainKey(alice);

        AliceMessages().Select(m => m.Action).ShouldBe([PresenceMessage.Join, PresenceMessage.Leave]);
        AliceMessages()[1].At.UtcDateTime.ShouldBeGreaterThan(started.AddSeconds(-1));
        return;

        List<PresenceMessage> AliceMessages() => watcher.PresenceMessages(room).Where(m => m.UserId == alice).ToList();
    }

    [Fact]
    public async Task SubscribersReadTheRoomsMembersAndStatsThroughTheHub()
    {
        var room = NewRoom("members");
        var bob = $"bob-{Guid.NewGuid():N}"[..12];
        await using var named = await RecordingClient.ConnectAsync(fixture.Stack, 0, bob, name: "Bob B.");
        await using var other = await RecordingClient.ConnectAsync(fixture.Stack, 1);
        await named.SubscribeAsync(room);
        await other.SubscribeAsync(room);

        RoomPresenceResponse members = null!;
        await Eventually.HoldsAsync(async () =>
        {
            members = await other.Connection.InvokeAsync<RoomPresenceResponse>("Presence", room);
            return members.Count == 2;
        }, "both members are listed");
        members.Room.ShouldBe(room);
        members.Members.Single(m => m.UserId == bob).ShouldSatisfyAllConditions(
            m => m.Name.ShouldBe("Bob B."),
            m => m.Connections.ShouldBe(1),
            m => m.JoinedAt.ShouldBeGreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1)));
        members.Members.Single(m => m.UserId == other.UserId).Name.ShouldBeNull();

        var stats = await named.Connection.InvokeAsync<RoomPresenceStatsResponse>("PresenceStats", room);
        stats.ShouldBe(new RoomPresenceStatsResponse(room, 2, 2));
        (await Api.StatsAsync(room)).ShouldBe(stats);
    }

    [Fact]
    public async Task PresenceThroughTheHubIsOnlyForTheRoomsSubscribers()
    {
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);

        var error = await Should.ThrowAsync<HubException>(() => client.Connection.InvokeAsync<RoomPresenceResponse>("Presence", "chat:elsewhere"));
        error.Message.ShouldContain("Presence: subscribe to room 'chat:elsewhere' first");
        var invalid = await Should.ThrowAsync<HubException>(() => client.Connection.InvokeAsync<RoomPresenceStatsResponse>("PresenceStats", "bad room"));
        invalid.Message.ShouldContain("PresenceStats: room has a character outside");

        var room = NewRoom("after-error");
        await client.SubscribeAsync(room);
        (await client.Connection.InvokeAsync<RoomPresenceStatsResponse>("PresenceStats", room)).Room.ShouldBe(room);
    }

    [Fact]
    public async Task TheHttpApiListsLiveNodesWithTheirFiguresAndRefusesBadRooms()
    {
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 1);
        var room = NewRoom("nodes");
        await client.SubscribeAsync(room);

        NodesResponse nodes = null!;
        await Eventually.HoldsAsync(async () =>
        {
            nodes = await Api.NodesAsync();
            return nodes.Nodes.Count == fixture.Stack.Nodes.Count
                && nodes.Nodes.Single(n => n.NodeId == fixture.Stack.NodeIds[1 % fixture.Stack.Nodes.Count]) is
                    { Connections: >= 1, Subscriptions: >= 1, Rooms: >= 1, DeliveriesPerSecond: >= 0 };
        }, "every node is listed, the client's with its connection and subscription (next heartbeat)");
        nodes.Nodes.Select(n => n.NodeId).ShouldBe(fixture.Stack.NodeIds);
        nodes.Nodes.ShouldAllBe(n => n.Address.StartsWith("http://127.0.0.1:", StringComparison.Ordinal)
            && n.LastHeartbeatAt > DateTimeOffset.UtcNow.AddSeconds(-30) && n.StartedAt <= n.LastHeartbeatAt);

        // Deliveries to the client's node show as a rate at its next heartbeat.
        var clientsNode = fixture.Stack.NodeIds[1 % fixture.Stack.Nodes.Count];
        await Eventually.HoldsAsync(async () =>
        {
            await fixture.Ingest.PublishAsync(room, "msg", "counted");
            return (await Api.NodesAsync()).Nodes.Single(n => n.NodeId == clientsNode).DeliveriesPerSecond > 0;
        }, "the client's node reports deliveries per second");

        var bad = await fixture.Ingest.Http.GetAsync("/v1/rooms/bad%20room/presence");
        bad.StatusCode.ShouldBe(HttpStatusCode.BadRequest);
        (await bad.Content.ReadAsStringAsync()).ShouldContain("room has a character outside");
        var empty = await Api.MembersAsync(NewRoom("empty"));
        empty.ShouldSatisfyAllConditions(e => e.Count.ShouldBe(0), e => e.Members.ShouldBeEmpty());
    }

    private static string NewRoom(string kind) => $"presence-{kind}:{Guid.NewGuid():N}"[..40];
}

/// <summary>The tests above on the distributed stack (two sequencers, two nodes).</summary>
[Collection(SharedStackCollection.Name)]
public sealed class PresenceTestsDistributed(SharedStackFixture fixture) : PresenceTests(fixture);

/// <summary>The tests above on the embedded mode (one process).</summary>
[Collection(EmbeddedStackCollection.Name)]
public sealed class PresenceTestsEmbedded(EmbeddedStackFixture fixture) : PresenceTests(fixture);
