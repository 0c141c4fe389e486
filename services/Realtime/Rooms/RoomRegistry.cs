using System.Collections.Concurrent;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.Realtime.Options;
using Fanout.Realtime.Routing;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// The rooms this node has members in. A room is created (and the node's queue bound to it, then its position
/// read from history — in that order, so nothing committed after the read can miss the node) when its first
/// connection arrives, and dropped (unbound) when its last one leaves.
/// </summary>
public sealed partial class RoomRegistry(
    IRoomSender sender,
    IHistoryReader history,
    IRoomBindings bindings,
    RoomEventCache cache,
    IOptions<RealtimeOptions> options,
    ILogger<RoomRegistry> logger)
{
    private readonly ConcurrentDictionary<string, RoomChannel> _rooms = new(StringComparer.Ordinal);
    private readonly int _pageSize = options.Value.HistoryPageSize;

    public ICollection<string> RoomIds => _rooms.Keys;

    public int Count => _rooms.Count;

    /// <summary>A snapshot of the rooms (the subscription gauges read it at each scrape).</summary>
    public ICollection<RoomChannel> Channels => _rooms.Values;

    public bool TryGet(string room, out RoomChannel channel) => _rooms.TryGetValue(room, out channel!);

    /// <summary>Hands routed events to the room's delivery queue; a room without members here ignores them.</summary>
    public void Dispatch(string room, IReadOnlyList<RoomEvent> events)
    {
        if (_rooms.TryGetValue(room, out var channel))
        {
            channel.Enqueue(events);
        }
    }

    /// <summary>Takes a reference on the room, creating and initializing it if needed.</summary>
    public async Task<RoomChannel> AcquireAsync(string room, CancellationToken cancellationToken)
    {
        while (true)
        {
            var channel = GetOrCreate(room);
            await channel.Gate.WaitAsync(cancellationToken);
            try
            {
                if (channel.IsClosed)
                {
                    continue;
                }

                channel.References++;
                if (!channel.IsInitialized)
                {
                    try
                    {
                        if (!await bindings.BindAsync(room, cancellationToken))
                        {
                            RealtimeLog.BindDeferred(logger, room);
                        }

                        channel.Initialize(await history.GetPositionAsync(room, cancellationToken));
                    }
                    catch
                    {
                        await ReleaseLockedAsync(channel);
                        throw;
                    }
                }

                return channel;
            }
            finally
            {
                channel.Gate.Release();
            }
        }
    }

    /// <summary>Drops a reference; the last one closes the room and unbinds it.</summary>
    public async Task ReleaseAsync(RoomChannel channel)
    {
        await channel.Gate.WaitAsync();
        try
        {
            await ReleaseLockedAsync(channel);
        }
        finally
        {
            channel.Gate.Release();
        }
    }

    private async Task ReleaseLockedAsync(RoomChannel channel)
    {
        if (--channel.References > 0 || channel.IsClosed)
        {
            return;
        }

        channel.Close();
        _rooms.TryRemove(KeyValuePair.Create(channel.Room, channel));
        try
        {
            await bindings.UnbindAsync(channel.Room, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // A binding left behind only routes a little unneeded traffic until the next rebind or queue expiry.
            RealtimeLog.UnbindFailed(logger, ex, channel.Room);
        }
    }

    private RoomChannel GetOrCreate(string room)
    {
        if (_rooms.TryGetValue(room, out var existing))
        {
            return existing;
        }

        var created = new RoomChannel(room, sender, history, _pageSize, cache);
        if (!_rooms.TryAdd(room, created))
        {
            return _rooms[room];
        }

        _ = Task.Run(() => created.RunAsync(ex => RealtimeLog.DeliveryFailed(logger, ex, room)));
        return created;
    }
}
