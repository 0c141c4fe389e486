using System.ComponentModel.DataAnnotations;

namespace Fanout.Realtime.Memory;

/// <summary>
/// The node's memory, bounded in bytes (section <c>Realtime:Memory</c>), beside the per-connection outbox bounds of
/// <see cref="Connections.SlowConsumerOptions"/>. Each budget has a gauge (meter <c>Fanout.Realtime</c>). Sizes count an
/// event as its data's bytes plus a fixed allowance (<see cref="Rooms.RoomEventSize"/>).
/// </summary>
public sealed class MemoryBudgetOptions
{
    public const string SectionName = "Realtime:Memory";

    /// <summary>
    /// Bytes of routed events waiting for their rooms to deliver them (a room waits while it fills a gap from history).
    /// Beyond it a room drops what was routed to it and catches up from history instead (nothing is lost: history has
    /// every event). Default 64 MiB.
    /// </summary>
    [Range(1024 * 1024, 64L * 1024 * 1024 * 1024)]
    public long InboundMaxBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Bytes the hot cache of recent events holds across rooms; least recently used rooms go first. Default 128 MiB.</summary>
    [Range(0, 64L * 1024 * 1024 * 1024)]
    public long CacheMaxBytes { get; set; } = 128L * 1024 * 1024;

    /// <summary>
    /// Bytes waiting in all connections' outboxes together. A connection with a backlog whose next message would pass it
    /// is closed as slow (reason <c>slow</c>), as one passing its own bound is. Default 1 GiB.
    /// </summary>
    [Range(1024 * 1024, 1024L * 1024 * 1024 * 1024)]
    public long OutboxMaxBytes { get; set; } = 1024L * 1024 * 1024;
}
