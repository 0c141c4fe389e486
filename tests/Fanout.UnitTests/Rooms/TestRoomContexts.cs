using Fanout.History.Retention;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Memory;
using Fanout.Realtime.Options;
using Fanout.Realtime.Rooms;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace Fanout.UnitTests.Rooms;

/// <summary>A <see cref="RoomContext"/> over a fake sender and history, for the room tests.</summary>
internal static class TestRoomContexts
{
    public static RoomContext Create(
        FakeRoomSender sender, FakeHistory history, int pageSize, int cacheEventsPerRoom = 0,
        SlowConsumerOptions? slow = null, InboundBudget? inbound = null)
    {
        var recovery = MsOptions.Create(new RecoveryOptions { CacheEventsPerRoom = cacheEventsPerRoom });
        var retention = new RetentionPolicy(MsOptions.Create(new RetentionOptions()));
        return new RoomContext(
            sender,
            history,
            new RoomEventCache(history, retention, recovery),
            retention,
            inbound ?? new InboundBudget(MsOptions.Create(new MemoryBudgetOptions())),
            MsOptions.Create(new RealtimeOptions { NodeId = "n1", HistoryPageSize = pageSize }),
            recovery,
            MsOptions.Create(slow ?? new SlowConsumerOptions()),
            NullLogger<Room>.Instance);
    }
}
