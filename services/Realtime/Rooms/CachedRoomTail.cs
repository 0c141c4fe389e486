using Fanout.Contracts.Wire;
using Fanout.History;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// The newest events of one room held by <see cref="RoomEventCache"/>: consecutive seqs of one epoch in a ring of
/// fixed capacity (the oldest is dropped when full). Not thread-safe: the cache locks it.
/// </summary>
internal sealed class CachedRoomTail(int capacity)
{
    private readonly RoomEvent[] _ring = new RoomEvent[capacity];
    private int _head;

    public int Capacity => _ring.Length;

    public int Count { get; private set; }

    /// <summary>What the held events cost (<see cref="RoomEventSize"/>).</summary>
    public long Bytes { get; private set; }

    public string Epoch { get; private set; } = string.Empty;

    public long FirstSeq => Count == 0 ? 0 : _ring[_head].Seq;

    public long LastSeq => Count == 0 ? 0 : _ring[(_head + Count - 1) % _ring.Length].Seq;

    /// <summary>The load in flight for this room, if any (single flight: every reader that needs it awaits this one).</summary>
    public Task<RoomPosition>? Loading { get; set; }

    public long LastUsed { get; set; }

    /// <summary>Dropped from the cache: its count no longer adds to the cache's total.</summary>
    public bool Evicted { get; set; }

    public bool Covers(string epoch, long from, long to) => Count > 0 && Epoch == epoch && FirstSeq <= from && LastSeq >= to;

    /// <summary>Adds the next event; one that does not follow the newest (another epoch, a jump) starts the tail again.</summary>
    public void Append(RoomEvent roomEvent)
    {
        if (Count > 0 && roomEvent.Epoch == Epoch && roomEvent.Seq <= LastSeq)
        {
            return;
        }

        if (Count > 0 && (roomEvent.Epoch != Epoch || roomEvent.Seq != LastSeq + 1))
        {
            Clear();
        }

        Epoch = roomEvent.Epoch;
        Bytes += RoomEventSize.Of(roomEvent);
        if (Count == _ring.Length)
        {
            Bytes -= RoomEventSize.Of(_ring[_head]);
            _ring[_head] = roomEvent;
            _head = (_head + 1) % _ring.Length;
        }
        else
        {
            _ring[(_head + Count) % _ring.Length] = roomEvent;
            Count++;
        }
    }

    /// <summary>Events <paramref name="from"/>..<paramref name="to"/>; only when <see cref="Covers"/> holds.</summary>
    public List<RoomEvent> Copy(long from, long to)
    {
        var events = new List<RoomEvent>((int)(to - from + 1));
        var start = (int)(from - FirstSeq);
        for (var i = 0; i < events.Capacity; i++)
        {
            events.Add(_ring[(_head + start + i) % _ring.Length]);
        }

        return events;
    }

    /// <summary>
    /// Merges consecutive events read from history (of <paramref name="epoch"/>) with what is held: keeps the longest run
    /// of consecutive seqs that ends at the newest event known, at most <see cref="Capacity"/> of them.
    /// </summary>
    public void Merge(string epoch, IReadOnlyList<RoomEvent> loaded)
    {
        var bySeq = new SortedDictionary<long, RoomEvent>();
        if (Epoch == epoch)
        {
            for (var i = 0; i < Count; i++)
            {
                var held = _ring[(_head + i) % _ring.Length];
                bySeq[held.Seq] = held;
            }
        }

        foreach (var roomEvent in loaded)
        {
            bySeq[roomEvent.Seq] = roomEvent;
        }

        var ordered = bySeq.Values.ToList();
        var start = ordered.Count - 1;
        while (start > 0 && ordered[start - 1].Seq == ordered[start].Seq - 1 && ordered.Count - start < _ring.Length)
        {
            start--;
        }

        Clear();
        for (var i = Math.Max(start, 0); i < ordered.Count; i++)
        {
            Append(ordered[i]);
        }
    }

    private void Clear()
    {
        Array.Clear(_ring);
        _head = 0;
        Count = 0;
        Bytes = 0;
    }
}
