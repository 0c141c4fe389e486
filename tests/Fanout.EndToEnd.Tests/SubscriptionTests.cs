using Fanout.Contracts.Wire;
using Fanout.EndToEnd.Tests.Support;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.EndToEnd.Tests;

public abstract class SubscriptionTests(StackLifetime fixture)
{
    private static string NewRoom(string name) => $"{name}:{Guid.NewGuid():N}"[..(name.Length + 13)];

    [Fact]
    public async Task AfterUnsubscribeReturnsNoFurtherEventOfTheRoomArrives()
    {
        var room = NewRoom("unsub");
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await using var listener = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await client.SubscribeAsync(room);
        await listener.SubscribeAsync(room);
        await fixture.Ingest.PublishAsync(room, "msg", 1);
        await client.WaitForAsync(room, 1);

        await client.UnsubscribeAsync(room);
        await fixture.Ingest.PublishAsync(room, "msg", 2);

        // The listener on the same node has #2, so the node has handed it on. The client subscribes again after #2 and a
        // marker is published: a room's events reach a connection in seq order, so had #2 gone to the client it would
        // have arrived before the marker.
        await listener.WaitForAsync(room, 2);
        await client.SubscribeAsync(room, afterSeq: 2, client.Events(room)[0].Epoch);
        var marker = await fixture.Ingest.PublishAsync(room, "marker", "end");
        (await client.EventsUpToMarkerAsync(room, marker)).Select(e => e.Seq).ShouldBe([1]);
    }

    [Fact]
    public async Task SubscribingAgainReplacesTheSubscriptionInsteadOfAddingASecond()
    {
        var room = NewRoom("resub");
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 1);
        await client.SubscribeAsync(room);
        await client.SubscribeAsync(room);
        await client.SubscribeAsync(room);

        await fixture.Ingest.PublishAsync(room, "msg", 1);
        await fixture.Ingest.PublishAsync(room, "msg", 2);
        var marker = await fixture.Ingest.PublishAsync(room, "marker", "end");
        (await client.EventsUpToMarkerAsync(room, marker)).Select(e => e.Seq).ShouldBe([1, 2]);
    }

    [Fact]
    public async Task GoingLiveReportsTheRoomsCurrentPositionAndEpoch()
    {
        var room = NewRoom("pos");
        var id = await fixture.Ingest.PublishAsync(room, "msg", 1);
        await fixture.Ingest.PublishAsync(room, "msg", 2);
        await fixture.Ingest.WaitForStoredAsync(room, 2);
        var (history, _) = await fixture.Ingest.ReadAllAsync(room);

        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        var result = await client.SubscribeAsync(room);

        result.LastSeq.ShouldBe(2);
        result.Epoch.ShouldBe(history.Epoch);
        result.Recovered.ShouldBeFalse();
        result.Replayed.ShouldBe(0);
        id.ShouldNotBeNullOrEmpty();
    }

    [Fact]
    public async Task AnUnknownEpochGoesLiveWithoutReplay()
    {
        var room = NewRoom("epoch");
        await fixture.Ingest.PublishAsync(room, "msg", 1);
        await fixture.Ingest.WaitForStoredAsync(room, 1);
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);

        var result = await client.SubscribeAsync(room, afterSeq: 0, epoch: "not-this-rooms-epoch");

        result.Recovered.ShouldBeFalse();
        result.Replayed.ShouldBe(0);
        result.LastSeq.ShouldBe(1);
    }

    [Fact]
    public async Task ARefusedSubscribeLeavesTheExistingSubscriptionExactlyAsItWas()
    {
        var room = NewRoom("refused");
        await fixture.Ingest.PublishAsync(room, "msg", 1);
        await fixture.Ingest.WaitForStoredAsync(room, 1);
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        (await client.SubscribeAsync(room)).LastSeq.ShouldBe(1);

        // Bad arguments (some refused by the protocol, some by the method) and a position beyond the room: each one is
        // refused with its code, and none may change anything.
        object?[][] refused =
        [
            [room, -1L, null], [room, "abc", null], [room, 1.5, null], [room, 0L, 5], [room, 0L, new { e = 1 }],
            [room, 99L, null],
        ];
        foreach (var args in refused)
        {
            var error = await Should.ThrowAsync<HubException>(() => client.Connection.InvokeCoreAsync("Subscribe", typeof(SubscribeResult), args));
            error.Message.ShouldMatch(args[1] is 99L ? "HubException: 112: " : "HubException: 107: ");
        }

        await fixture.Ingest.PublishAsync(room, "msg", 2);
        var marker = await fixture.Ingest.PublishAsync(room, "marker", "end");
        (await client.EventsUpToMarkerAsync(room, marker)).Select(e => e.Seq).ShouldBe([2]);
        var members = await client.Connection.InvokeAsync<RoomPresenceResponse>("Presence", room);
        members.Members.Select(m => m.UserId).ShouldContain(client.UserId);
    }

    [Fact]
    public async Task AHubPublishRepeatedWithItsIdempotencyKeyIsStoredAndDeliveredOnceAndAnswersTheSameId()
    {
        var room = NewRoom("hubidem");
        await using var publisher = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await using var other = await RecordingClient.ConnectAsync(fixture.Stack, 0);
        await publisher.SubscribeAsync(room);

        var first = await publisher.Connection.InvokeAsync<PublishResult>("Publish", room, "msg", new { n = 1 }, "key-1");
        var again = await publisher.Connection.InvokeAsync<PublishResult>("Publish", room, "msg", new { n = 1 }, "key-1");
        var byOtherUser = await other.Connection.InvokeAsync<PublishResult>("Publish", room, "msg", new { n = 2 }, "key-1");
        var badKey = await Should.ThrowAsync<HubException>(() => publisher.Connection.InvokeAsync<PublishResult>("Publish", room, "msg", 1, new string('k', 200)));

        again.Id.ShouldBe(first.Id);
        byOtherUser.Id.ShouldNotBe(first.Id, "another user's key never matches this user's event");
        badKey.Message.ShouldContain("HubException: 107: Publish: idempotencyKey");
        var marker = await fixture.Ingest.PublishAsync(room, "marker", "end");
        (await publisher.EventsUpToMarkerAsync(room, marker)).Select(e => e.Id.ToString()).ShouldBe([first.Id, byOtherUser.Id]);
        (await fixture.Ingest.ReadAllAsync(room)).Events.Count.ShouldBe(3);
    }

    [Fact]
    public async Task BadArgumentsGetAHubErrorAndTheConnectionStaysOpen()
    {
        var room = NewRoom("bad");
        await using var client = await RecordingClient.ConnectAsync(fixture.Stack, 0);

        (await Should.ThrowAsync<HubException>(() => client.SubscribeAsync("no spaces allowed"))).Message.ShouldContain("room");
        (await Should.ThrowAsync<HubException>(() => client.SubscribeAsync(".."))).Message.ShouldContain("'.' or '..'");
        (await Should.ThrowAsync<HubException>(() => client.PublishAsync(room, "bad type!", 1))).Message.ShouldContain("type");
        (await Should.ThrowAsync<HubException>(() => client.PublishAsync(room, "t", new string('x', 70_000)))).Message.ShouldContain("65536");
        (await Should.ThrowAsync<HubException>(() => client.SubscribeAsync(room, afterSeq: 5))).Message.ShouldContain("beyond");

        (await client.SubscribeAsync(room)).Room.ShouldBe(room);
        await client.PublishAsync(room, "ok", new { fine = true });
        await client.WaitForAsync(room, 1);
    }
}

/// <summary>The tests above on the distributed stack (two sequencers, two nodes).</summary>
[Collection(SharedStackCollection.Name)]
public sealed class SubscriptionTestsDistributed(SharedStackFixture fixture) : SubscriptionTests(fixture);

/// <summary>The tests above on the embedded mode (one process).</summary>
[Collection(EmbeddedStackCollection.Name)]
public sealed class SubscriptionTestsEmbedded(EmbeddedStackFixture fixture) : SubscriptionTests(fixture);
