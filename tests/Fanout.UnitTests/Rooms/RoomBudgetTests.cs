using Fanout.History.Retention;
using Fanout.Realtime.Memory;
using Fanout.Realtime.Options;
using Fanout.Realtime.Rooms;
using Fanout.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Fanout.UnitTests.Rooms;

/// <summary>The node's byte budgets for what rooms hold: routed events waiting for a room, and the hot cache.</summary>
public sealed class RoomBudgetTests
{
    private const string Room = "chat:budget";
    private readonly FakeRoomSender _sender = new();
    private readonly FakeHistory _history = new();

    [Fact]
    public async Task RoutedEventsBeyondTheInboundBudgetAreDroppedAndTheRoomCatchesUpFromHistoryWithoutLosingAny()
    {
        // Room for about four events of ~270 bytes while the room waits for history to fill a gap.
        var inbound = new InboundBudget(MsOptions.Create(new MemoryBudgetOptions { InboundMaxBytes = 1_100 }));
        var room = new Room(Room, TestRoomContexts.Create(_sender, _history, pageSize: 100, inbound: inbound));
        (await room.TryReferenceAsync(ct => _history.GetPositionAsync(Room, ct), CancellationToken.None)).ShouldBeTrue();
        var running = room.RunAsync(ex => throw ex);
        await room.SubscribeAsync("c1", null, null, CancellationToken.None);
        var events = _history.Append(Room, 60);
        room.Deliver([events[0]]);
        await Eventually.HoldsAsync(() => room.Position.LastSeq == 1, "the first event delivered");

        // #3 reveals a gap; the fill waits for history while 57 more events are routed.
        _history.Blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        room.Deliver([events[2]]);
        foreach (var roomEvent in events.Skip(3))
        {
            room.Deliver([roomEvent]);
            inbound.Held.ShouldBeLessThanOrEqualTo(inbound.Max);
        }

        var blocked = _history.Blocked;
        _history.Blocked = null;
        blocked.SetResult();

        await Eventually.HoldsAsync(() => _sender.Of("c1").Count == 60, $"every event delivered (got {_sender.Of("c1").Count})");
        _sender.Of("c1").ShouldBe(Enumerable.Range(1, 60).Select(i => (long)i));
        await Eventually.HoldsAsync(() => inbound.Held == 0, "the budget given back");
        (await room.ReleaseAsync()).ShouldBeTrue();
        await running;
    }

    [Fact]
    public void TheHotCacheStaysWithinItsByteBudgetDroppingLeastRecentlyUsedRooms()
    {
        var retention = new RetentionPolicy(MsOptions.Create(new RetentionOptions()));
        var cache = new RoomEventCache(_history, retention, MsOptions.Create(new RecoveryOptions()),
            MsOptions.Create(new MemoryBudgetOptions { CacheMaxBytes = 20_000 }));

        for (var r = 0; r < 10; r++)
        {
            foreach (var roomEvent in _history.Append($"room-{r}", 30))
            {
                cache.Append(roomEvent);
                cache.Bytes.ShouldBeLessThanOrEqualTo(cache.MaxBytes);
            }
        }

        cache.Bytes.ShouldBeGreaterThan(0);
    }
}
