using Fanout.History;
using Fanout.Realtime.Options;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// Every <see cref="RealtimeOptions.PositionCheckIntervalMs"/>, reads the positions of all rooms this node holds in
/// one query and hands each to its room (<see cref="Room.ObservePositionAsync"/>), asking it to catch up when its history
/// is ahead of what the node delivered. This bounds how late an event can reach a subscriber when its routed message was
/// lost (broker restart, routing failure) and no later event of the room came to reveal the gap. It also hands each room
/// its first retained seq (retention moves it) and a new epoch (a reset history, a restored database).
/// </summary>
public sealed class PositionCheckService(
    RoomRegistry registry, IHistoryReader history, IOptions<RealtimeOptions> options, ILogger<PositionCheckService> logger)
    : BackgroundService
{
    // Rooms seen behind at the previous check, with the position history had then. A room is caught up only when
    // it is still behind that position a whole interval later, so events merely in flight cost no extra reads.
    private readonly Dictionary<string, long> _behind = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.PositionCheckIntervalMs));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                await CheckAsync(stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                RealtimeLog.PositionCheckFailed(logger, ex);
            }
        }
    }

    private async Task CheckAsync(CancellationToken stoppingToken)
    {
        var rooms = registry.RoomIds.ToList();
        if (rooms.Count == 0)
        {
            return;
        }

        var positions = await history.GetPositionsAsync(rooms, stoppingToken);
        var seenBefore = new Dictionary<string, long>(_behind, StringComparer.Ordinal);
        _behind.Clear();
        foreach (var (name, position) in positions)
        {
            if (!registry.TryGet(name, out var room))
            {
                continue;
            }

            var delivered = room.Position;
            var catchUp = false;
            if (position.Epoch == delivered.Epoch && position.LastSeq > delivered.LastSeq)
            {
                if (!seenBefore.TryGetValue(name, out var target) || delivered.LastSeq >= target)
                {
                    _behind[name] = position.LastSeq;
                }
                else
                {
                    RealtimeLog.CatchingUp(logger, name, delivered.LastSeq, position.LastSeq);
                    catchUp = true;
                }
            }

            if (catchUp || position.Epoch != delivered.Epoch || position.FirstSeq != delivered.FirstSeq)
            {
                // Only a room with something to take from history waits for its lock.
                await room.ObservePositionAsync(position, catchUp, stoppingToken);
            }
        }
    }
}
