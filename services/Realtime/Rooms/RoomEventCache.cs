using System.Collections.Concurrent;
using Fanout.Contracts.Wire;
using Fanout.History;
using Fanout.History.Retention;
using Fanout.Realtime.Memory;
using Fanout.Realtime.Options;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Rooms;

/// <summary>
/// The node's hot cache of the newest events per room, so that replays after a reconnect storm do not read
/// PostgreSQL once per client. It is fed by live delivery (every event a room delivers on this node, in seq order)
/// and by loads from history, and outlives the room's members (a room whose clients all dropped keeps its tail).
/// Guarantees: it serves only consecutive events of the epoch asked for, exactly as committed; a miss loads from
/// history once per room at a time (single flight: concurrent readers await the same load, which reads the room's
/// whole newest window), so N clients recovering one room cost O(1) queries. Bounded per room by
/// <see cref="RecoveryOptions.CacheEventsPerRoom"/> (and the room's retention count) and in all by
/// <see cref="RecoveryOptions.CacheMaxEvents"/> and <see cref="MemoryBudgetOptions.CacheMaxBytes"/>, dropping least recently
/// used rooms.
/// </summary>
public sealed class RoomEventCache(
    IHistoryReader history, RetentionPolicy retention, IOptions<RecoveryOptions> options, IOptions<MemoryBudgetOptions>? budget = null)
{
    private readonly ConcurrentDictionary<string, CachedRoomTail> _rooms = new(StringComparer.Ordinal);
    private readonly int _perRoom = options.Value.CacheEventsPerRoom;
    private readonly long _maxEvents = options.Value.CacheMaxEvents;
    private readonly long _maxBytes = (budget?.Value ?? new MemoryBudgetOptions()).CacheMaxBytes;
    private long _held;
    private long _heldBytes;
    private int _evicting;

    /// <summary>Events held across all rooms (approximate while rooms change).</summary>
    public long Count => Interlocked.Read(ref _held);

    /// <summary>What the held events cost, across all rooms (approximate while rooms change).</summary>
    public long Bytes => Interlocked.Read(ref _heldBytes);

    /// <summary>The byte budget (<see cref="MemoryBudgetOptions.CacheMaxBytes"/>).</summary>
    public long MaxBytes => _maxBytes;

    /// <summary>Adds an event a room delivered (called in seq order per room).</summary>
    public void Append(RoomEvent roomEvent)
    {
        if (TailOf(roomEvent.Room) is not { } tail)
        {
            return;
        }

        lock (tail)
        {
            var (before, beforeBytes) = (tail.Count, tail.Bytes);
            tail.Append(roomEvent);
            CountChange(tail, before, beforeBytes);
        }

        EvictIfFull();
    }

    /// <summary>
    /// Events <paramref name="from"/>..<paramref name="to"/> of <paramref name="epoch"/> (from &lt;= to), from memory or,
    /// once per room at a time, from history.
    /// </summary>
    public async Task<CacheRead> ReadAsync(string room, string epoch, long from, long to, CancellationToken cancellationToken)
    {
        if (TailOf(room) is not { } tail || to - from + 1 > tail.Capacity)
        {
            return await ReadThroughAsync(room, epoch, from, to, cancellationToken);
        }

        var startedOwnLoad = false;
        while (true)
        {
            Task<RoomPosition> loading;
            lock (tail)
            {
                tail.LastUsed = Environment.TickCount64;
                if (tail.Covers(epoch, from, to))
                {
                    return new CacheRead(tail.Copy(from, to), null);
                }

                if (tail.Loading is { IsCompleted: false } inFlight)
                {
                    loading = inFlight;
                }
                else
                {
                    if (startedOwnLoad)
                    {
                        // Our load found everything, but the tail moved on meanwhile (evicted, a new epoch): read through.
                        break;
                    }

                    loading = tail.Loading = LoadAsync(tail, room, epoch, from, to);
                    startedOwnLoad = true;
                }
            }

            var position = await loading.WaitAsync(cancellationToken);
            if (position.Epoch != epoch || !position.Retains(from - 1) || position.LastSeq < to)
            {
                return new CacheRead(null, position);
            }
        }

        return await ReadThroughAsync(room, epoch, from, to, cancellationToken);
    }

    private void CountChange(CachedRoomTail tail, int before, long beforeBytes)
    {
        if (!tail.Evicted)
        {
            Interlocked.Add(ref _held, tail.Count - before);
            Interlocked.Add(ref _heldBytes, tail.Bytes - beforeBytes);
        }
    }

    /// <summary>Reads the room's newest window (or only what the tail lacks) with one query and merges it in.</summary>
    private async Task<RoomPosition> LoadAsync(CachedRoomTail tail, string room, string epoch, long from, long to)
    {
        long after;
        lock (tail)
        {
            after = tail.Count > 0 && tail.Epoch == epoch && tail.FirstSeq <= from && tail.LastSeq >= from - 1
                ? tail.LastSeq
                : Math.Min(from - 1, Math.Max(0, to - tail.Capacity));
        }

        await Task.Yield();
        var page = await history.ReadAfterAsync(room, after, (int)(to - after), CancellationToken.None);
        if (page.Position.Epoch == epoch && page.Events.Count > 0)
        {
            lock (tail)
            {
                var (before, beforeBytes) = (tail.Count, tail.Bytes);
                tail.Merge(epoch, page.Events);
                CountChange(tail, before, beforeBytes);
            }

            EvictIfFull();
        }

        return page.Position;
    }

    /// <summary>For replays longer than the cache holds, or rooms it does not cache: pages straight from history.</summary>
    private async Task<CacheRead> ReadThroughAsync(string room, string epoch, long from, long to, CancellationToken cancellationToken)
    {
        var events = new List<RoomEvent>((int)Math.Min(to - from + 1, 10_000));
        var cursor = from - 1;
        while (cursor < to)
        {
            var page = await history.ReadAfterAsync(room, cursor, (int)Math.Min(to - cursor, 10_000), cancellationToken);
            if (page.Position.Epoch != epoch || page.Events.Count == 0 || page.Events[0].Seq != cursor + 1)
            {
                return new CacheRead(null, page.Position);
            }

            events.AddRange(page.Events.Where(e => e.Seq <= to));
            cursor = events[^1].Seq;
        }

        return new CacheRead(events, null);
    }

    private CachedRoomTail? TailOf(string room)
    {
        if (_rooms.TryGetValue(room, out var tail))
        {
            return tail;
        }

        var capacity = Math.Min(_perRoom, retention.For(room).MaxEvents);
        return capacity <= 0 || _maxEvents == 0 || _maxBytes == 0 ? null : _rooms.GetOrAdd(room, _ => new CachedRoomTail(capacity) { LastUsed = Environment.TickCount64 });
    }

    private void EvictIfFull()
    {
        if ((Interlocked.Read(ref _held) <= _maxEvents && Interlocked.Read(ref _heldBytes) <= _maxBytes) ||
            Interlocked.Exchange(ref _evicting, 1) == 1)
        {
            return;
        }

        try
        {
            // Least recently used rooms first, down to 90 % of the bound, so eviction runs rarely.
            foreach (var (room, tail) in _rooms.OrderBy(r => r.Value.LastUsed).ToList())
            {
                if (Interlocked.Read(ref _held) <= _maxEvents * 9 / 10 && Interlocked.Read(ref _heldBytes) <= _maxBytes * 9 / 10)
                {
                    break;
                }

                lock (tail)
                {
                    if (tail.Loading is { IsCompleted: false } || !_rooms.TryRemove(KeyValuePair.Create(room, tail)))
                    {
                        continue;
                    }

                    tail.Evicted = true;
                    Interlocked.Add(ref _held, -tail.Count);
                    Interlocked.Add(ref _heldBytes, -tail.Bytes);
                }
            }
        }
        finally
        {
            Volatile.Write(ref _evicting, 0);
        }
    }
}
