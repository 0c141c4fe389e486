using Fanout.Client;
using Fanout.Testing;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.EndToEnd.Tests.Client;

/// <summary>The .NET client against a running stack: subscribe, publish, resume, and a handler that throws.</summary>
[Collection(ClientStackCollection.Name)]
public sealed class FanoutClientTests(ClientStackFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.RestartStoppedNodesAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    private static string NewRoom(string name) => $"{name}:{Guid.NewGuid():N}"[..(name.Length + 13)];

    [Fact]
    public async Task EventsPublishedThroughTheClientReachItsHandlerAndAThrowingHandlerDoesNotStopDelivery()
    {
        var room = NewRoom("client");
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 0);
        await probe.SubscribeAsync(room, also: e => throw new InvalidOperationException($"handler bug at {e.Seq}"));

        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await probe.Client.PublishAsync(room, "msg", new { i }));
        }

        await probe.WaitForAsync(room, 3);
        probe.Events(room).Select(e => e.Id).ShouldBe(ids);
        await Eventually.HoldsAsync(() => probe.Errors.Count(e => e.Room == room) >= 3, "each handler exception is reported");
        probe.Errors.First().Exception.Message.ShouldBe("handler bug at 1");
    }

    [Fact]
    public async Task SubscribingFromAStoredPositionReplaysWhatCameAfterItThenRaisesRecovered()
    {
        var room = NewRoom("resume");
        for (var i = 0; i < 5; i++)
        {
            await fixture.Ingest.PublishAsync(room, "msg", i);
        }

        await fixture.Ingest.WaitForStoredAsync(room, 5);
        var (history, _) = await fixture.Ingest.ReadAllAsync(room);
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 1);

        var subscription = await probe.SubscribeAsync(room, new StreamPosition(2, history.Epoch));

        await probe.WaitForAsync(room, 3);
        probe.Events(room).Select(e => e.Seq).ShouldBe([3, 4, 5]);
        await Eventually.HoldsAsync(() => probe.Recovered.Any(r => r.Room == room), "Recovered raised");
        probe.Recovered.Single().Replayed.ShouldBe(3);
        subscription.Position.ShouldBe(new StreamPosition(5, history.Epoch));
    }

    [Fact]
    public async Task GetHistoryReadsStoredPagesWithoutSubscribingOrCallingAHandler()
    {
        var room = NewRoom("history");
        for (var i = 0; i < 5; i++)
        {
            await fixture.Ingest.PublishAsync(room, "msg", i);
        }

        await fixture.Ingest.WaitForStoredAsync(room, 5);
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 0);

        var first = await probe.Client.GetHistoryAsync(room, after: 0, limit: 2);
        var rest = await probe.Client.GetHistoryAsync(room, after: first.Events[^1].Seq);

        first.Events.Select(e => e.Seq).ShouldBe([1L, 2L]);
        rest.Events.Select(e => e.Seq).ShouldBe([3L, 4L, 5L]);
        rest.LastSeq.ShouldBe(5);
        rest.Events[0].Data.GetInt32().ShouldBe(2);
        probe.Events(room).ShouldBeEmpty();
    }

    [Fact]
    public async Task SubscriptionStatesAreRaisedWithTheirReasonsFromSubscribeToDispose()
    {
        var room = NewRoom("states");
        await fixture.Ingest.PublishAsync(room, "msg", 1);
        await fixture.Ingest.WaitForStoredAsync(room, 1);
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 0);

        var subscription = await probe.SubscribeAsync(room, new StreamPosition(5, "another-epoch"));
        subscription.State.ShouldBe(SubscriptionState.Subscribed);
        await subscription.DisposeAsync();

        await Eventually.HoldsAsync(() => probe.States.Count >= 3, "three state changes");
        probe.States.Select(s => (s.Room, s.State, s.Reason)).ShouldBe(
        [
            (room, SubscriptionState.Subscribing, "subscribe"), (room, SubscriptionState.Subscribed, "epochChanged"),
            (room, SubscriptionState.Unsubscribed, "unsubscribe"),
        ]);
        subscription.State.ShouldBe(SubscriptionState.Unsubscribed);
    }

    [Fact]
    public async Task SubscribingFromAPositionOfAnotherEpochRaisesResetAndGoesOnLive()
    {
        var room = NewRoom("reset");
        await fixture.Ingest.PublishAsync(room, "msg", 1);
        await fixture.Ingest.WaitForStoredAsync(room, 1);
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 0);

        await probe.SubscribeAsync(room, new StreamPosition(1, "an-epoch-of-another-lifetime"));
        await fixture.Ingest.PublishAsync(room, "msg", 2);

        await probe.WaitForAsync(room, 1);
        probe.Events(room).Select(e => e.Seq).ShouldBe([2]);
        var reset = probe.Resets.ShouldHaveSingleItem();
        reset.Room.ShouldBe(room);
        reset.Reason.ShouldBe("epochChanged");
        probe.Recovered.ShouldBeEmpty();
    }

    [Fact]
    public async Task SubscribingFromAPositionAheadOfTheRoomGoesLiveWithABeyondLastSeqReset()
    {
        var room = NewRoom("ahead");
        await fixture.Ingest.PublishAsync(room, "msg", 1);
        await fixture.Ingest.WaitForStoredAsync(room, 1);
        var (history, _) = await fixture.Ingest.ReadAllAsync(room);
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 1);

        var subscription = await probe.SubscribeAsync(room, new StreamPosition(50, history.Epoch));
        await fixture.Ingest.PublishAsync(room, "msg", 2);

        await probe.WaitForAsync(room, 1);
        probe.Events(room).Select(e => e.Seq).ShouldBe([2]);
        probe.Resets.ShouldHaveSingleItem().ShouldBe(new RoomReset(room, "beyondLastSeq", history.Epoch, 1));
        subscription.Position.ShouldBe(new StreamPosition(2, history.Epoch));
    }

    [Fact]
    public async Task ASubscribeTheServerRefusesThrowsAndLeavesTheClientUsable()
    {
        var room = NewRoom("refused");
        await using var probe = await ClientProbe.ConnectAsync(fixture.Stack, 0);

        (await Should.ThrowAsync<HubException>(() => probe.SubscribeAsync("no spaces allowed"))).Message.ShouldContain("room");

        await probe.SubscribeAsync(room);
        await probe.Client.PublishAsync(room, "ok", null);
        await probe.WaitForAsync(room, 1);
    }

    [Fact]
    public async Task TheClientReadsPresenceAndHandsJoinsToTheRoomsHandler()
    {
        var room = NewRoom("presence");
        await using var first = await ClientProbe.ConnectAsync(fixture.Stack, 0);
        await using var second = await ClientProbe.ConnectAsync(fixture.Stack, 1);
        await first.SubscribeAsync(room);

        await second.SubscribeAsync(room);

        await Eventually.HoldsAsync(
            () => first.PresenceChanges.Any(c => c.Room == room && c.UserId == second.UserId && c.Action == "join"),
            "the first client's handler got the second user's join");
        await Eventually.HoldsAsync(
            async () => (await first.Client.GetPresenceStatsAsync(room)) is { Users: 2, Connections: 2 },
            "presence stats count both users");
        var presence = await second.Client.GetPresenceAsync(room);
        presence.Members.Select(m => m.UserId).Order().ShouldBe(new[] { first.UserId, second.UserId }.Order());
    }
}
