using Fanout.History;
using Fanout.Realtime.Options;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// Every <see cref="RealtimeOptions.PositionCheckIntervalMs"/>, reads the positions of all rooms this node holds in
/// one query and catches up any room whose history is ahead of what the node delivered. This bounds how late an
/// event can reach a subscriber when its routed message was lost (broker restart, routing failure) and no later
/// event of the room came to reveal the gap. It also hands each room its first retained seq (retention moves it) and
/// a new epoch (a reset history, a restored database) as soon as history shows one.
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
        foreach (var (room, position) in positions)
        {
            if (!registry.TryGet(room, out var channel) || !channel.IsInitialized)
            {
                continue;
            }

            if (position.Epoch != channel.Epoch)
            {
                // Reset or restored history: adopt the new epoch now, then deliver what it already holds.
                await CatchUpAsync(channel, position, stoppingToken);
                continue;
            }

            channel.ObserveRetention(position);
            if (position.LastSeq <= channel.LastSeq)
            {
                continue;
            }

            if (!seenBefore.TryGetValue(room, out var target) || channel.LastSeq >= target)
            {
                _behind[room] = position.LastSeq;
                continue;
            }

            RealtimeLog.CatchingUp(logger, room, channel.LastSeq, position.LastSeq);
            await CatchUpAsync(channel, null, stoppingToken);
        }
    }

    private async Task CatchUpAsync(RoomChannel channel, RoomPosition? newEpoch, CancellationToken stoppingToken)
    {
        await channel.Gate.WaitAsync(stoppingToken);
        try
        {
            if (channel.IsClosed)
            {
                return;
            }

            if (newEpoch is not null && newEpoch.Epoch != channel.Epoch)
            {
                RecoveryLog.EpochChanged(logger, channel.Room, channel.Epoch, newEpoch.Epoch);
                channel.AdoptEpoch(newEpoch);
            }

            await channel.CatchUpAsync();
        }
        finally
        {
            channel.Gate.Release();
        }
    }
}
