using Fanout.Realtime.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.UnitTests.Rooms;

public sealed class RoomChannelTests
{
    private const string Room = "chat:lobby";
    private readonly FakeRoomSender _sender = new();
    private readonly FakeHistory _history = new();

    private RoomChannel NewChannel(int pageSize = 3)
    {
        var channel = new RoomChannel(Room, _sender, _history, pageSize);
        channel.Initialize(Fanout.History.RoomPosition.Empty);
        return channel;
    }

    [Fact]
    public async Task LiveEventsReachMembersInOrderAndRepeatsAreDropped()
    {
        var channel = NewChannel();
        await channel.JoinLiveAsync("c1");
        var events = _history.Append(Room, 3);

        await channel.DeliverAsync([events[0], events[1]]);
        await channel.DeliverAsync([events[1], events[0], events[2]]);

        _sender.Of("c1").ShouldBe([1, 2, 3]);
        channel.LastSeq.ShouldBe(3);
    }

    [Fact]
    public async Task AGapIsFilledFromHistoryBeforeTheEventAfterIt()
    {
        var channel = NewChannel(pageSize: 2);
        await channel.JoinLiveAsync("c1");
        var events = _history.Append(Room, 7);

        await channel.DeliverAsync([events[0]]);
        await channel.DeliverAsync([events[6]]);

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 6, 7]);
    }

    [Fact]
    public async Task CatchUpDeliversWhatHistoryHasBeyondTheLastDelivered()
    {
        var channel = NewChannel();
        await channel.JoinLiveAsync("c1");
        _history.Append(Room, 5);

        await channel.CatchUpAsync();
        await channel.CatchUpAsync();

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task LiveEventsDuringAReplayAreBufferedAndOnlyThoseAfterTheReplayAreSent()
    {
        var channel = NewChannel();
        var events = _history.Append(Room, 6);
        await channel.DeliverAsync(events.Take(2).ToList());
        channel.StartReplay("c1");

        // Live events 3..6 arrive while c1 reads history up to 4.
        await channel.DeliverAsync(events.Skip(2).ToList());
        foreach (var e in events.Take(4))
        {
            await _sender.SendToConnectionAsync("c1", e);
        }

        var (position, sent) = await channel.FinishReplayAsync("c1", replayedUpTo: 4);

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 6]);
        position.ShouldBe(6);
        sent.ShouldBe(2);

        await channel.DeliverAsync(_history.Append(Room, 1));
        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 6, 7]);
    }

    [Fact]
    public async Task AConnectionThatLeftWhileReplayingDoesNotBecomeLive()
    {
        var channel = NewChannel();
        channel.StartReplay("c1");
        (await channel.LeaveAsync("c1")).ShouldBeTrue();

        await Should.ThrowAsync<HubException>(() => channel.FinishReplayAsync("c1", 0));
        channel.LiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task AfterLeavingNoFurtherEventReachesTheConnection()
    {
        var channel = NewChannel();
        await channel.JoinLiveAsync("c1");
        await channel.JoinLiveAsync("c2");
        var events = _history.Append(Room, 2);
        await channel.DeliverAsync([events[0]]);

        await channel.LeaveAsync("c1");
        await channel.DeliverAsync([events[1]]);

        _sender.Of("c1").ShouldBe([1]);
        _sender.Of("c2").ShouldBe([1, 2]);
    }

    [Fact]
    public async Task ARoomWithNoHistoryYetTakesTheEpochOfItsFirstEvent()
    {
        var channel = NewChannel();
        channel.Epoch.ShouldBe(string.Empty);

        await channel.DeliverAsync(_history.Append(Room, 1));

        channel.Epoch.ShouldBe(FakeHistory.Epoch);
    }

    [Fact]
    public async Task AReplayThatIsAheadOfTheRoomGetsNoDuplicateWhenTheLateRoutedEventsArrive()
    {
        var channel = NewChannel(pageSize: 2);
        await channel.JoinLiveAsync("live");
        var events = _history.Append(Room, 5);
        await channel.DeliverAsync(events.Take(2).ToList());

        // c1 replays 1..5 from history while the routed messages for 3..5 are still on their way to this node.
        channel.StartReplay("c1");
        foreach (var e in events)
        {
            await _sender.SendToConnectionAsync("c1", e);
        }

        var (position, _) = await channel.FinishReplayAsync("c1", replayedUpTo: 5);
        await channel.DeliverAsync(events.Skip(2).ToList());
        await channel.DeliverAsync(_history.Append(Room, 1));

        position.ShouldBe(5);
        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 6]);
        _sender.Of("live").ShouldBe([1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public async Task ANewEpochWhoseSeqsWentBackIsDeliveredInsteadOfDroppedAsAlreadySeen()
    {
        var channel = NewChannel();
        await channel.JoinLiveAsync("c1");
        await channel.DeliverAsync(_history.Append(Room, 5));

        // The database was restored to seq 3 and got a new epoch: its next event is seq 4 again.
        var restored = FakeHistory.Event(Room, 4) with { Epoch = "e2" };
        await channel.DeliverAsync([restored]);

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 4]);
        (channel.Epoch, channel.LastSeq).ShouldBe(("e2", 4L));
    }

    [Fact]
    public void AdoptingANewEpochFromHistoryMovesThePositionBackOnlyWhenHistoryIsBehind()
    {
        var channel = NewChannel();
        channel.Initialize(new Fanout.History.RoomPosition("e1", 10));

        channel.AdoptEpoch(new Fanout.History.RoomPosition("e2", 10) { FirstSeq = 11 });
        channel.Position.ShouldBe(new Fanout.History.RoomPosition("e2", 10) { FirstSeq = 11 });
        channel.AdoptEpoch(new Fanout.History.RoomPosition("e3", 7) { FirstSeq = 1 });
        channel.Position.ShouldBe(new Fanout.History.RoomPosition("e3", 7) { FirstSeq = 1 });
    }
}
