using System.Collections.Concurrent;
using Fanout.Contracts.Wire;
using Fanout.Realtime.Routing;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// The rooms this node has members in. A room is created (and the node's queue bound to it, then its position read from
/// history — in that order, so nothing committed after the read can miss the node) when its first connection arrives,
/// and dropped (unbound) when its last one leaves.
/// </summary>
public sealed class RoomRegistry(RoomContext context, IRoomBindings bindings, ILogger<RoomRegistry> logger)
{
    private readonly ConcurrentDictionary<string, Room> _rooms = new(StringComparer.Ordinal);

    public ICollection<string> RoomIds => _rooms.Keys;

    public int Count => _rooms.Count;

    /// <summary>A snapshot of the rooms (the gauges and the position check read it).</summary>
    public ICollection<Room> Rooms => _rooms.Values;

    public bool TryGet(string room, out Room found) => _rooms.TryGetValue(room, out found!);

    /// <summary>Hands routed events to their room; a room without members here ignores them.</summary>
    public void Dispatch(string room, IReadOnlyList<RoomEvent> events)
    {
        if (_rooms.TryGetValue(room, out var found))
        {
            found.Deliver(events);
        }
    }

    /// <summary>Takes a reference on the room for a connection about to subscribe, creating it if needed.</summary>
    public async Task<Room> AcquireAsync(string room, CancellationToken cancellationToken)
    {
        while (true)
        {
            var found = GetOrCreate(room);
            bool referenced;
            try
            {
                referenced = await found.TryReferenceAsync(ct => StartAsync(room, ct), cancellationToken);
            }
            catch when (found.IsClosed)
            {
                // Its start failed (binding or history): it closed; drop it as its last member leaving would.
                await ForgetAsync(found);
                throw;
            }

            if (referenced)
            {
                return found;
            }

            // Closed by its last member meanwhile: the registry no longer holds it; take the next one.
            _rooms.TryRemove(KeyValuePair.Create(room, found));
        }
    }

    /// <summary>Drops a reference; the last one closes the room and unbinds it.</summary>
    public async Task ReleaseAsync(Room room)
    {
        if (await room.ReleaseAsync())
        {
            await ForgetAsync(room);
        }
    }

    private async Task ForgetAsync(Room room)
    {
        _rooms.TryRemove(KeyValuePair.Create(room.Name, room));
        try
        {
            await bindings.UnbindAsync(room.Name, CancellationToken.None);
        }
        catch (Exception ex)
        {
            // A binding left behind only routes a little unneeded traffic until the next rebind or queue expiry.
            RealtimeLog.UnbindFailed(logger, ex, room.Name);
        }
    }

    private async Task<Fanout.History.RoomPosition> StartAsync(string room, CancellationToken cancellationToken)
    {
        if (!await bindings.BindAsync(room, cancellationToken))
        {
            RealtimeLog.BindDeferred(logger, room);
        }

        return await context.History.GetPositionAsync(room, cancellationToken);
    }

    private Room GetOrCreate(string room)
    {
        if (_rooms.TryGetValue(room, out var existing))
        {
            return existing;
        }

        var created = new Room(room, context);
        if (!_rooms.TryAdd(room, created))
        {
            return _rooms[room];
        }

        _ = Task.Run(() => created.RunAsync(ex => RealtimeLog.DeliveryFailed(logger, ex, room)));
        return created;
    }
}
