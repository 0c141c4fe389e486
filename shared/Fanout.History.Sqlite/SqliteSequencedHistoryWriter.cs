using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.History.Idempotency;
using Microsoft.Data.Sqlite;

namespace Fanout.History.Sqlite;

/// <summary>
/// <see cref="ISequencedHistoryWriter"/> in one SQLite transaction per call, so one sync to disk per call however many
/// events it holds (the embedded sequencer hands it every request waiting: group commit). Ids already stored come back
/// as they are; the others are numbered from their room's counter, in list order, and the counters are moved on. An id
/// derived from an idempotency key is also looked up in, and its answer kept in, <c>idempotency_keys</c>, so a repeat is
/// recognised after its event left history. A room written is marked for the trimmer (<c>trim_at = 0</c>).
/// </summary>
public sealed class SqliteSequencedHistoryWriter(SqliteHistoryDatabase database) : ISequencedHistoryWriter
{
    private const string FindSql = "SELECT room_id, seq, type, data, published_at FROM room_events WHERE event_id = $id";
    private const string RoomSql = "SELECT epoch, last_seq FROM rooms WHERE room_id = $room";
    private const string NewRoomSql = "INSERT INTO rooms (room_id, epoch, last_seq, first_seq, created_at) VALUES ($room, '', 0, 1, $now)";
    private const string InsertSql = """
        INSERT INTO room_events (room_id, seq, event_id, type, data, published_at, stored_at)
        VALUES ($room, $seq, $id, $type, $data, $published, $now)
        """;
    private const string BumpSql = "UPDATE rooms SET last_seq = $last, trim_at = 0 WHERE room_id = $room";
    private const string RememberedSql = "SELECT 1 FROM idempotency_keys WHERE event_id = $id";
    private const string RememberSql = """
        INSERT INTO idempotency_keys (event_id, room_id, seq, epoch, stored_at) VALUES ($id, $room, $seq, $epoch, $now)
        """;

    public Task<IReadOnlyList<RoomEvent>> AppendAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken) =>
        database.WriteAsync<IReadOnlyList<RoomEvent>>(write => Append(write, events), cancellationToken);

    private static List<RoomEvent> Append(SqliteHistoryDatabase.WriteContext write, IReadOnlyList<SubmittedEvent> events)
    {
        var now = DateTimeOffset.UtcNow.UtcTicks;
        var result = new List<RoomEvent>(events.Count);
        var seen = new HashSet<Guid>();
        var rooms = new Dictionary<string, RoomCounter>(StringComparer.Ordinal);
        foreach (var submitted in events)
        {
            if (!seen.Add(submitted.Id))
            {
                continue;
            }

            var room = Counter(write, rooms, submitted.Room, now);
            if (FindStored(write, submitted.Id, room) is { } stored)
            {
                result.Add(stored);
                continue;
            }

            var keyed = KeyedEventIds.IsKeyed(submitted.Id);
            if (keyed && IsRemembered(write, submitted.Id))
            {
                continue; // A repeat of a key whose event left history: nothing to store or route.
            }

            room.LastSeq++;
            var insert = write.Command(InsertSql);
            insert.Parameters.AddWithValue("$room", submitted.Room);
            insert.Parameters.AddWithValue("$seq", room.LastSeq);
            insert.Parameters.AddWithValue("$id", submitted.Id.ToByteArray());
            insert.Parameters.AddWithValue("$type", submitted.Type);
            insert.Parameters.AddWithValue("$data", submitted.Data.GetRawText());
            insert.Parameters.AddWithValue("$published", submitted.PublishedAt.UtcTicks);
            insert.Parameters.AddWithValue("$now", now);
            insert.ExecuteNonQuery();
            if (keyed)
            {
                Remember(write, submitted, room, now);
            }

            result.Add(new RoomEvent(submitted.Room, room.LastSeq, room.Epoch, submitted.Id, submitted.Type, submitted.Data, submitted.PublishedAt));
        }

        foreach (var (id, room) in rooms)
        {
            if (room.LastSeq != room.StoredLastSeq)
            {
                var bump = write.Command(BumpSql);
                bump.Parameters.AddWithValue("$room", id);
                bump.Parameters.AddWithValue("$last", room.LastSeq);
                bump.ExecuteNonQuery();
            }
        }

        result.Sort(static (a, b) => a.Room == b.Room ? a.Seq.CompareTo(b.Seq) : string.CompareOrdinal(a.Room, b.Room));
        return result;
    }

    private static RoomCounter Counter(SqliteHistoryDatabase.WriteContext write, Dictionary<string, RoomCounter> rooms, string room, long now)
    {
        if (rooms.TryGetValue(room, out var counter))
        {
            return counter;
        }

        var read = write.Command(RoomSql);
        read.Parameters.AddWithValue("$room", room);
        using (var reader = read.ExecuteReader())
        {
            if (reader.Read())
            {
                counter = new RoomCounter(room, write.EpochOf(room, reader.GetString(0)), reader.GetInt64(1));
            }
        }

        if (counter is null)
        {
            var create = write.Command(NewRoomSql);
            create.Parameters.AddWithValue("$room", room);
            create.Parameters.AddWithValue("$now", now);
            create.ExecuteNonQuery();
            counter = new RoomCounter(room, write.EpochOf(room, string.Empty), 0);
        }

        rooms[room] = counter;
        return counter;
    }

    /// <summary>The event as stored under <paramref name="id"/>, with its room's current epoch; null when not stored.</summary>
    private static RoomEvent? FindStored(SqliteHistoryDatabase.WriteContext write, Guid id, RoomCounter room)
    {
        var find = write.Command(FindSql);
        find.Parameters.AddWithValue("$id", id.ToByteArray());
        using var reader = find.ExecuteReader();
        if (!reader.Read())
        {
            return null;
        }

        var storedRoom = reader.GetString(0);
        // An id is derived from (room, idempotency key), so a stored id is in the same room; the epoch is read again
        // only if it is not (a hand-made id reused across rooms).
        var epoch = storedRoom == room.Room ? room.Epoch : EpochOfRoom(write, storedRoom);
        return SqliteRows.Event(storedRoom, epoch, reader.GetInt64(1), id, reader.GetString(2), reader.GetString(3), reader.GetInt64(4));
    }

    private static bool IsRemembered(SqliteHistoryDatabase.WriteContext write, Guid id)
    {
        var find = write.Command(RememberedSql);
        find.Parameters.AddWithValue("$id", id.ToByteArray());
        return find.ExecuteScalar() is not null;
    }

    private static void Remember(SqliteHistoryDatabase.WriteContext write, SubmittedEvent submitted, RoomCounter room, long now)
    {
        var remember = write.Command(RememberSql);
        remember.Parameters.AddWithValue("$id", submitted.Id.ToByteArray());
        remember.Parameters.AddWithValue("$room", submitted.Room);
        remember.Parameters.AddWithValue("$seq", room.LastSeq);
        remember.Parameters.AddWithValue("$epoch", room.Epoch);
        remember.Parameters.AddWithValue("$now", now);
        remember.ExecuteNonQuery();
    }

    private static string EpochOfRoom(SqliteHistoryDatabase.WriteContext write, string room)
    {
        var read = write.Command(RoomSql);
        read.Parameters.AddWithValue("$room", room);
        using var reader = read.ExecuteReader();
        return write.EpochOf(room, reader.Read() ? reader.GetString(0) : string.Empty);
    }

    private sealed class RoomCounter(string room, string epoch, long lastSeq)
    {
        public string Room { get; } = room;

        public string Epoch { get; } = epoch;

        public long StoredLastSeq { get; } = lastSeq;

        public long LastSeq { get; set; } = lastSeq;
    }
}
