using Fanout.Contracts.Wire;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// The live events a room holds for one connection while it replays history, bounded like a connection's outbox
/// (<see cref="Connections.SlowConsumerOptions"/>): a connection whose replay cannot keep up with the room overflows it
/// and is closed as slow instead of pinning memory. Owned by its <see cref="Room"/> and used under its lock.
/// </summary>
internal sealed class ReplayBuffer(int maxMessages, long maxBytes)
{
    private readonly List<RoomEvent> _events = [];
    private long _bytes;

    public IReadOnlyList<RoomEvent> Events => _events;

    /// <summary>True once it would have passed a bound; it then holds nothing more.</summary>
    public bool Overflowed { get; private set; }

    /// <summary>Adds an event; true when this one overflowed the buffer (emptied then, and it takes nothing more).</summary>
    public bool AddOrOverflow(RoomEvent roomEvent)
    {
        if (Overflowed)
        {
            return false;
        }

        var bytes = RoomEventSize.Of(roomEvent);
        if (_events.Count >= maxMessages || _bytes + bytes > maxBytes)
        {
            Overflowed = true;
            _events.Clear();
            _events.TrimExcess();
            _bytes = 0;
            return true;
        }

        _events.Add(roomEvent);
        _bytes += bytes;
        return false;
    }
}
