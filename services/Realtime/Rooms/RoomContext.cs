using Fanout.History;
using Fanout.History.Retention;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Memory;
using Fanout.Realtime.Options;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Rooms;

/// <summary>What every <see cref="Room"/> of the node works with: one instance, made by the registry's container.</summary>
public sealed class RoomContext(
    IRoomSender sender,
    IHistoryReader history,
    RoomEventCache cache,
    RetentionPolicy retention,
    InboundBudget inbound,
    IOptions<RealtimeOptions> realtime,
    IOptions<RecoveryOptions> recovery,
    IOptions<SlowConsumerOptions> slowConsumer,
    ILogger<Room> logger)
{
    public IRoomSender Sender { get; } = sender;

    public IHistoryReader History { get; } = history;

    /// <summary>The hot cache: fed by every delivery, read by replays.</summary>
    public RoomEventCache Cache { get; } = cache;

    public RetentionPolicy Retention { get; } = retention;

    /// <summary>The node-wide byte budget of events routed to rooms and not delivered yet.</summary>
    public InboundBudget Inbound { get; } = inbound;

    public int PageSize { get; } = realtime.Value.HistoryPageSize;

    public int MaxReplay { get; } = recovery.Value.MaxReplay;

    public SlowConsumerOptions SlowConsumer { get; } = slowConsumer.Value;

    public ILogger Logger { get; } = logger;
}
