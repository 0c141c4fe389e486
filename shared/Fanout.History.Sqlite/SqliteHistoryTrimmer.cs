using Fanout.History.Idempotency;
using Fanout.History.Retention;
using Microsoft.Extensions.Options;

namespace Fanout.History.Sqlite;

/// <summary>
/// One retention pass over the rooms of the SQLite file, as <see cref="HistoryTrimmer"/> does in PostgreSQL: moves each
/// room's first retained seq up to its limits (count, then age), then deletes the rows below it in batches. The file
/// has one owner process, so no other trimmer can run at the same time. Each pass also forgets the idempotency keys
/// older than <see cref="IdempotencyOptions.Window"/>.
/// </summary>
public sealed class SqliteHistoryTrimmer(
    SqliteHistoryDatabase database, RetentionPolicy policy, IOptions<RetentionOptions> options, IOptions<IdempotencyOptions> idempotency)
    : IHistoryTrimmer
{
    private const int RoomsPerPage = 1_000;

    private const string RoomsSql = """
        SELECT r.room_id, r.first_seq, r.last_seq,
               (SELECT seq FROM room_events e WHERE e.room_id = r.room_id ORDER BY seq LIMIT 1),
               (SELECT stored_at FROM room_events e WHERE e.room_id = r.room_id AND e.seq >= r.first_seq ORDER BY seq LIMIT 1)
        FROM rooms r WHERE r.room_id > $after ORDER BY r.room_id LIMIT $limit
        """;

    private const string AgeFloorSql = """
        SELECT coalesce(max(seq), 0) + 1 FROM room_events WHERE room_id = $room AND seq >= $first AND stored_at < $cutoff
        """;

    private const string MoveFirstSql = "UPDATE rooms SET first_seq = max(first_seq, $first) WHERE room_id = $room";

    private readonly int _batchSize = options.Value.TrimBatchSize;

    public async Task<TrimResult?> RunPassAsync(CancellationToken cancellationToken)
    {
        var (rooms, events, visited, after) = (0, 0L, 0, string.Empty);
        while (true)
        {
            var page = ReadRooms(after);
            visited += page.Count;
            foreach (var room in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var deleted = await TrimAsync(room, cancellationToken);
                if (deleted > 0)
                {
                    rooms++;
                    events += deleted;
                }
            }

            if (page.Count < RoomsPerPage)
            {
                var keys = await SqliteIdempotencyKeyPruner.ForgetOlderThanAsync(database, idempotency.Value.Window, _batchSize, cancellationToken);
                return new TrimResult(rooms, events, IncarnationRenewed: false) { KeysForgotten = keys, RoomsVisited = visited };
            }

            after = page[^1].Room;
        }
    }

    private async Task<long> TrimAsync(RoomState room, CancellationToken cancellationToken)
    {
        var limits = policy.For(room.Room);
        var target = Math.Max(room.FirstSeq, room.LastSeq - limits.MaxEvents + 1);
        var now = DateTimeOffset.UtcNow.UtcTicks;
        if (room.OldestStoredAt is { } oldest && now - oldest > limits.MaxAge.Ticks)
        {
            target = Math.Max(target, AgeFloor(room, now - limits.MaxAge.Ticks));
        }

        if (target > room.FirstSeq)
        {
            // First the floor (readers stop serving what is below it), then the rows.
            await database.WriteAsync(write =>
            {
                var move = write.Command(MoveFirstSql);
                move.Parameters.AddWithValue("$room", room.Room);
                move.Parameters.AddWithValue("$first", target);
                return move.ExecuteNonQuery();
            }, cancellationToken);
        }

        return room.MinSeq is { } min && min < target
            ? await SqliteEventPruner.DeleteBelowAsync(database, room.Room, target, _batchSize, cancellationToken)
            : 0;
    }

    private long AgeFloor(RoomState room, long cutoff)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = AgeFloorSql;
        command.Parameters.AddWithValue("$room", room.Room);
        command.Parameters.AddWithValue("$first", room.FirstSeq);
        command.Parameters.AddWithValue("$cutoff", cutoff);
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private List<RoomState> ReadRooms(string after)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = RoomsSql;
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", RoomsPerPage);
        using var reader = command.ExecuteReader();
        var rooms = new List<RoomState>();
        while (reader.Read())
        {
            rooms.Add(new RoomState(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4)));
        }

        return rooms;
    }

    private sealed record RoomState(string Room, long FirstSeq, long LastSeq, long? MinSeq, long? OldestStoredAt);
}
