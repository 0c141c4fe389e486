using Fanout.History;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.UnitTests.Rooms;

public sealed class RoomTests
{
    private const string Room = "chat:lobby";
    private readonly FakeRoomSender _sender = new();
    private readonly FakeHistory _history = new();

    private async Task<Room> NewRoomAsync(int pageSize = 3, int cacheEvents = 0, SlowConsumerOptions? slow = null)
    {
        var context = TestRoomContexts.Create(_sender, _history, pageSize, cacheEvents, slow);
        var room = new Room(Room, context);
        (await room.TryReferenceAsync(ct => _history.GetPositionAsync(Room, ct), CancellationToken.None)).ShouldBeTrue();
        return room;
    }

    [Fact]
    public async Task LiveEventsReachMembersInOrderAndRepeatsAreDropped()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        var events = _history.Append(Room, 3);

        await room.DeliverNowAsync([events[0], events[1]]);
        await room.DeliverNowAsync([events[1], events[0], events[2]]);

        _sender.Of("c1").ShouldBe([1, 2, 3]);
        room.Position.LastSeq.ShouldBe(3);
    }

    [Fact]
    public async Task AGapIsFilledFromHistoryBeforeTheEventAfterIt()
    {
        var room = await NewRoomAsync(pageSize: 2);
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        var events = _history.Append(Room, 7);

        await room.DeliverNowAsync([events[0]]);
        await room.DeliverNowAsync([events[6]]);

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 6, 7]);
    }

    [Fact]
    public async Task APositionCheckThatFindsTheRoomBehindCatchesItUpFromHistory()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        await room.DeliverNowAsync(_history.Append(Room, 1));
        _history.Append(Room, 4);
        var position = await _history.GetPositionAsync(Room, CancellationToken.None);

        await room.ObservePositionAsync(position, catchUp: false, CancellationToken.None);
        _sender.Of("c1").ShouldBe([1]);
        await room.ObservePositionAsync(position, catchUp: true, CancellationToken.None);
        await room.ObservePositionAsync(position, catchUp: true, CancellationToken.None);

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task LiveEventsDuringAReplayAreBufferedAndOnlyThoseAfterTheReplayAreSent()
    {
        var room = await NewRoomAsync();
        var events = _history.Append(Room, 4);
        await room.DeliverNowAsync(events.Take(2).ToList());

        // c1 replays from seq 0 while history answers slowly; live events 3..6 arrive meanwhile.
        _history.Blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscribing = room.SubscribeAsync("c1", 0, null, CancellationToken.None);
        var live = _history.Append(Room, 2);
        await room.DeliverNowAsync([events[2], events[3], .. live]);
        var blocked = _history.Blocked;
        _history.Blocked = null;
        blocked.SetResult();
        var result = await subscribing;

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 6]);
        (result.Recovered, result.Replayed, result.LastSeq).ShouldBe((true, 2, 6L));

        await room.DeliverNowAsync(_history.Append(Room, 1));
        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 6, 7]);
    }

    [Fact]
    public async Task AConnectionThatLeftWhileReplayingDoesNotBecomeLive()
    {
        var room = await NewRoomAsync();
        await room.DeliverNowAsync(_history.Append(Room, 2));
        _history.Blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscribing = room.SubscribeAsync("c1", 0, null, CancellationToken.None);

        (await room.LeaveAsync("c1")).ShouldBeTrue();
        _history.Blocked.SetResult();

        await Should.ThrowAsync<HubException>(() => subscribing);
        room.LiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task AfterLeavingNoFurtherEventReachesTheConnection()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        await room.SubscribeAsync("c2", null, null, CancellationToken.None);
        var events = _history.Append(Room, 2);
        await room.DeliverNowAsync([events[0]]);

        await room.LeaveAsync("c1");
        await room.DeliverNowAsync([events[1]]);

        _sender.Of("c1").ShouldBe([1]);
        _sender.Of("c2").ShouldBe([1, 2]);
    }

    [Fact]
    public async Task ARoomWithNoHistoryYetTakesTheEpochOfItsFirstEvent()
    {
        var room = await NewRoomAsync();
        room.Position.Epoch.ShouldBe(string.Empty);

        await room.DeliverNowAsync(_history.Append(Room, 1));

        room.Position.Epoch.ShouldBe(FakeHistory.Epoch);
    }

    [Fact]
    public async Task AReplayThatIsAheadOfTheRoomGetsNoDuplicateWhenTheLateRoutedEventsArrive()
    {
        var room = await NewRoomAsync(pageSize: 2);
        await room.SubscribeAsync("live", null, null, CancellationToken.None);
        var events = _history.Append(Room, 5);
        await room.DeliverNowAsync(events.Take(2).ToList());

        // c1 saw up to 4 on another node; history has 5, while the routed messages for 3..5 are still on their way here.
        var result = await room.SubscribeAsync("c1", 4, null, CancellationToken.None);
        await room.DeliverNowAsync(events.Skip(2).ToList());
        await room.DeliverNowAsync(_history.Append(Room, 1));

        (result.Recovered, result.LastSeq).ShouldBe((true, 5L));
        _sender.Of("c1").ShouldBe([5, 6]);
        _sender.Of("live").ShouldBe([1, 2, 3, 4, 5, 6]);
    }

    [Fact]
    public async Task ANewEpochWhoseSeqsWentBackIsDeliveredInsteadOfDroppedAsAlreadySeen()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        await room.DeliverNowAsync(_history.Append(Room, 5));

        // The database was restored to seq 3 and got a new epoch: its next event is seq 4 again.
        var restored = _history.MoveTo(Room, "e2", 4);
        await room.DeliverNowAsync([restored[3]]);

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5, 4]);
        (room.Position.Epoch, room.Position.LastSeq).ShouldBe(("e2", 4L));
    }

    [Fact]
    public async Task AnEventOfAnOldEpochHandledAfterTheNewOneIsDroppedInsteadOfRewindingTheRoom()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        var old = _history.Append(Room, 100);
        await room.DeliverNowAsync(old);
        var reset = _history.MoveTo(Room, "e2", 101, firstSeq: 101);

        // Epoch 2 #101 arrives first, then epoch 1 #95 (routed before the reset, handled late).
        await room.DeliverNowAsync([reset[0]]);
        await room.DeliverNowAsync([old[94]]);

        _sender.Of("c1").Skip(100).ShouldBe([101]);
        (room.Position.Epoch, room.Position.LastSeq).ShouldBe(("e2", 101L));
    }

    [Fact]
    public async Task AStalePositionSnapshotOfTheOldEpochDoesNotRewindTheRoom()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        await room.DeliverNowAsync(_history.Append(Room, 3));
        var stale = await _history.GetPositionAsync(Room, CancellationToken.None);
        var reset = _history.MoveTo(Room, "e2", 4, firstSeq: 4);
        await room.DeliverNowAsync([reset[0]]);

        await room.ObservePositionAsync(stale, catchUp: true, CancellationToken.None);
        await room.DeliverNowAsync(_history.Append(Room, 1));

        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task APositionWithANewEpochThatHistoryConfirmsMovesTheRoomAndDeliversWhatItHolds()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        await room.DeliverNowAsync(_history.Append(Room, 10));
        _history.MoveTo(Room, "e2", 7);

        await room.ObservePositionAsync(await _history.GetPositionAsync(Room, CancellationToken.None), catchUp: false, CancellationToken.None);
        await room.DeliverNowAsync(_history.Append(Room, 1));

        room.Position.Epoch.ShouldBe("e2");
        _sender.Of("c1").Skip(10).ShouldBe([8]);
    }

    [Fact]
    public async Task ARefusedResubscribeOfALiveMemberLeavesItLiveWithEveryEventInOrder()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        await room.DeliverNowAsync(_history.Append(Room, 2));

        // A position beyond the room is refused, after the room started buffering for the replay it would have made.
        await Should.ThrowAsync<HubException>(() => room.SubscribeAsync("c1", 99, null, CancellationToken.None));
        await room.DeliverNowAsync(_history.Append(Room, 1));

        _sender.Of("c1").ShouldBe([1, 2, 3]);
        room.LiveCount.ShouldBe(1);
    }

    [Fact]
    public async Task ALiveMemberWhoseResubscribeFailsWhileHistoryIsDownGetsWhatCameMeanwhileAndStaysLive()
    {
        var room = await NewRoomAsync();
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        await room.DeliverNowAsync(_history.Append(Room, 2));
        _history.Blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var subscribing = room.SubscribeAsync("c1", 5, null, CancellationToken.None);
        var live = _history.Append(Room, 2);
        await room.DeliverNowAsync(live);
        _history.Blocked.SetException(new TimeoutException("history is down"));

        await Should.ThrowAsync<TimeoutException>(() => subscribing);
        _history.Blocked = null;
        await room.DeliverNowAsync(_history.Append(Room, 1));
        _sender.Of("c1").ShouldBe([1, 2, 3, 4, 5]);
    }

    [Fact]
    public async Task AClientThatTakesNoReplayedEventIsClosedAsSlowAndTheRoomKeepsNothingForIt()
    {
        var room = await NewRoomAsync(slow: new SlowConsumerOptions { WriteStallTimeoutMs = 100 });
        await room.DeliverNowAsync(_history.Append(Room, 5));
        _sender.Stalled = new TaskCompletionSource();

        var error = await Should.ThrowAsync<HubException>(() => room.SubscribeAsync("c1", 0, null, CancellationToken.None));

        error.Message.ShouldStartWith("114 temporary:");
        _sender.ClosedAsSlow.ShouldContain("c1");
        await room.DeliverNowAsync(_history.Append(Room, 1));
        room.LiveCount.ShouldBe(0);
    }

    [Fact]
    public async Task LiveEventsBeyondTheBufferBoundDuringAReplayCloseTheConnectionAsSlow()
    {
        var room = await NewRoomAsync(slow: new SlowConsumerOptions { MaxBufferedMessages = 16 });
        await room.DeliverNowAsync(_history.Append(Room, 2));
        _history.Blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var subscribing = room.SubscribeAsync("c1", 0, null, CancellationToken.None);

        await room.DeliverNowAsync(_history.Append(Room, 40));
        _sender.ClosedAsSlow.ShouldContain("c1");
        var blocked = _history.Blocked;
        _history.Blocked = null;
        blocked.SetResult();

        (await Should.ThrowAsync<HubException>(() => subscribing)).Message.ShouldStartWith("114 temporary:");
        room.LiveCount.ShouldBe(0);
    }
}
