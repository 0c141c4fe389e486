using Fanout.Contracts.Wire;
using Fanout.History.Retention;
using Fanout.Realtime.Options;
using Fanout.Realtime.Rooms;
using Microsoft.Extensions.Options;

namespace Fanout.UnitTests.Rooms;

public sealed class RoomEventCacheTests
{
    private const string Room = "chat:storm";
    private readonly FakeHistory _history = new();

    private RoomEventCache NewCache(int perRoom = 100, RetentionOptions? retention = null) =>
        new(_history, new RetentionPolicy(Microsoft.Extensions.Options.Options.Create(retention ?? new RetentionOptions())),
            Microsoft.Extensions.Options.Options.Create(new RecoveryOptions { CacheEventsPerRoom = perRoom }));

    [Fact]
    public async Task AThousandConcurrentReplaysOfARoomCostOneHistoryRead()
    {
        var cache = NewCache();
        _history.Append(Room, 60);

        var reads = await Task.WhenAll(Enumerable.Range(0, 1_000).Select(_ =>
            Task.Run(() => cache.ReadAsync(Room, FakeHistory.Epoch, 11, 60, CancellationToken.None))));

        reads.ShouldAllBe(r => r.Events != null && r.Events.Count == 50 && r.Events[0].Seq == 11 && r.Events[49].Seq == 60);
        _history.Reads.ShouldBe(1);
    }

    [Fact]
    public async Task EventsDeliveredLiveAreServedWithoutReadingHistoryAndOnlyTheMissingTailIsLoaded()
    {
        var cache = NewCache();
        foreach (var roomEvent in _history.Append(Room, 10))
        {
            cache.Append(roomEvent);
        }

        var hit = await cache.ReadAsync(Room, FakeHistory.Epoch, 3, 10, CancellationToken.None);
        _history.Reads.ShouldBe(0);
        _history.Append(Room, 5);
        var extended = await cache.ReadAsync(Room, FakeHistory.Epoch, 3, 15, CancellationToken.None);

        hit.Events!.Select(e => e.Seq).ShouldBe([3, 4, 5, 6, 7, 8, 9, 10]);
        extended.Events!.Select(e => e.Seq).ShouldBe(Enumerable.Range(3, 13).Select(i => (long)i));
        _history.Reads.ShouldBe(1);
    }

    [Fact]
    public async Task AnotherEpochOrTrimmedEventsAreAMissThatCarriesTheRoomsPosition()
    {
        var cache = NewCache();
        _history.Append(Room, 5);

        var otherEpoch = await cache.ReadAsync(Room, "not-this-epoch", 1, 5, CancellationToken.None);

        otherEpoch.Events.ShouldBeNull();
        otherEpoch.Position!.Epoch.ShouldBe(FakeHistory.Epoch);
    }

    [Fact]
    public void ATailKeepsOnlyItsNewestEventsAndStartsAgainOnAJump()
    {
        var cache = NewCache(perRoom: 3);
        var events = _history.Append(Room, 6);
        foreach (var roomEvent in events.Take(5))
        {
            cache.Append(roomEvent);
        }

        cache.Count.ShouldBe(3);
        cache.Append(FakeHistory.Event(Room, 9));
        cache.Count.ShouldBe(1);
    }

    [Fact]
    public void AnEphemeralRoomIsNotCached()
    {
        var cache = NewCache(retention: new RetentionOptions { Rules = [new() { Pattern = "chat:*", MaxEvents = 0 }] });

        cache.Append(FakeHistory.Event(Room, 1));

        cache.Count.ShouldBe(0);
    }
}
