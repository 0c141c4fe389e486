using Fanout.History.Idempotency;
using Fanout.History.Retention;
using Microsoft.Extensions.Options;

namespace Fanout.History.Sqlite;

/// <summary>
/// One retention pass over the rooms of the SQLite file that are due, as <see cref="HistoryTrimmer"/> does in
/// PostgreSQL: moves each room's first retained seq up to its limits (count, then age), deletes the rows below it in
/// batches, then notes when the room is due next (<c>rooms.trim_at</c>). A room is due once it was written or reset
/// since the last visit (the writer and the reset set <c>trim_at</c> to 0) or once its oldest event aged out; the
/// first pass of a process visits every room (the settings may have changed). The file has one owner process, so no
/// other trimmer can run at the same time. Each pass also forgets the idempotency keys older than
/// <see cref="IdempotencyOptions.Window"/>.
/// </summary>
public sealed class SqliteHistoryTrimmer(
    SqliteHistoryDatabase database, RetentionPolicy policy, IOptions<RetentionOptions> options, IOptions<IdempotencyOptions> idempotency)
    : IHistoryTrimmer
{
    private const int RoomsPerPage = 1_000;

    private const string RoomColumns = """
        SELECT r.room_id, r.first_seq, r.last_seq, r.trim_at,
               (SELECT seq FROM room_events e WHERE e.room_id = r.room_id ORDER BY seq LIMIT 1),
               (SELECT stored_at FROM room_events e WHERE e.room_id = r.room_id AND e.seq >= r.first_seq ORDER BY seq LIMIT 1)
        FROM rooms r
        """;

    /// <summary>Every room, in id order (the first pass of a process).</summary>
    private const string AllRoomsSql = RoomColumns + "\n" + "WHERE r.room_id > $after ORDER BY r.room_id LIMIT $limit";

    /// <summary>The rooms due, in (trim_at, room_id) order from the index; a room written during the pass waits for the next.</summary>
    private const string DueRoomsSql = RoomColumns + "\n" + """
        WHERE r.trim_at IS NOT NULL AND r.trim_at <= $now AND (r.trim_at, r.room_id) > ($afterAt, $after)
        ORDER BY r.trim_at, r.room_id LIMIT $limit
        """;

    private const string AgeFloorSql = """
        SELECT coalesce(max(seq), 0) + 1 FROM room_events WHERE room_id = $room AND seq >= $first AND stored_at < $cutoff
        """;

    private const string MoveFirstSql = "UPDATE rooms SET first_seq = max(first_seq, $first) WHERE room_id = $room";

    /// <summary>When the room is due next, unless it was written or reset since it was read (then it stays due).</summary>
    private const string NextDueSql = """
        UPDATE rooms SET trim_at = (SELECT stored_at FROM room_events e WHERE e.room_id = $room AND e.seq >= $first ORDER BY seq LIMIT 1) + $maxAge
        WHERE room_id = $room AND last_seq = $last AND first_seq = $first
        """;

    private readonly int _batchSize = options.Value.TrimBatchSize;

    private bool _sweptAll;

    public async Task<TrimResult?> RunPassAsync(CancellationToken cancellationToken)
    {
        var all = !_sweptAll;
        var now = DateTimeOffset.UtcNow.UtcTicks;
        var (rooms, events, visited, afterAt, after) = (0, 0L, 0, long.MinValue, string.Empty);
        while (true)
        {
            var page = ReadRooms(all, now, afterAt, after);
            visited += page.Count;
            var visits = new List<Visit>(page.Count);
            foreach (var room in page)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var visit = await TrimAsync(room, cancellationToken);
                if (visit.Deleted > 0)
                {
                    rooms++;
                    events += visit.Deleted;
                }

                if (visit.NoteNextDue)
                {
                    visits.Add(visit);
                }
            }

            // Last, once the rows are gone: a pass cut short leaves its rooms due.
            await NoteNextDueAsync(visits, cancellationToken);
            if (page.Count < RoomsPerPage)
            {
                _sweptAll = true;
                var keys = await SqliteIdempotencyKeyPruner.ForgetOlderThanAsync(database, idempotency.Value.Window, _batchSize, cancellationToken);
                return new TrimResult(rooms, events, IncarnationRenewed: false) { KeysForgotten = keys, RoomsVisited = visited };
            }

            (afterAt, after) = (page[^1].TrimAt ?? long.MinValue, page[^1].Room);
        }
    }

    private async Task<Visit> TrimAsync(RoomState room, CancellationToken cancellationToken)
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

        var deleted = room.MinSeq is { } min && min < target
            ? await SqliteEventPruner.DeleteBelowAsync(database, room.Room, target, _batchSize, cancellationToken)
            : 0;

        // A room it had nothing to do for whose due time is already right (after the first pass, most of them) needs no write.
        var upToDate = target == room.FirstSeq && deleted == 0 && room.TrimAt == room.OldestStoredAt + limits.MaxAge.Ticks;
        return new Visit(room.Room, target, room.LastSeq, limits.MaxAge.Ticks, deleted, NoteNextDue: !upToDate);
    }

    private async Task NoteNextDueAsync(List<Visit> visits, CancellationToken cancellationToken)
    {
        if (visits.Count == 0)
        {
            return;
        }

        await database.WriteAsync(write =>
        {
            var next = write.Command(NextDueSql);
            foreach (var visit in visits)
            {
                next.Parameters.Clear();
                next.Parameters.AddWithValue("$room", visit.Room);
                next.Parameters.AddWithValue("$first", visit.FirstSeq);
                next.Parameters.AddWithValue("$last", visit.LastSeq);
                next.Parameters.AddWithValue("$maxAge", visit.MaxAgeTicks);
                next.ExecuteNonQuery();
            }

            return visits.Count;
        }, cancellationToken);
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

    private List<RoomState> ReadRooms(bool all, long now, long afterAt, string after)
    {
        using var connection = database.OpenReader();
        using var command = connection.CreateCommand();
        command.CommandText = all ? AllRoomsSql : DueRoomsSql;
        command.Parameters.AddWithValue("$after", after);
        command.Parameters.AddWithValue("$limit", RoomsPerPage);
        if (!all)
        {
            command.Parameters.AddWithValue("$now", now);
            command.Parameters.AddWithValue("$afterAt", afterAt);
        }

        using var reader = command.ExecuteReader();
        var rooms = new List<RoomState>();
        while (reader.Read())
        {
            rooms.Add(new RoomState(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetInt64(5)));
        }

        return rooms;
    }

    private sealed record RoomState(string Room, long FirstSeq, long LastSeq, long? TrimAt, long? MinSeq, long? OldestStoredAt);

    /// <summary>What a pass did to one room, and whether its due time has to be written.</summary>
    private sealed record Visit(string Room, long FirstSeq, long LastSeq, long MaxAgeTicks, long Deleted, bool NoteNextDue);
}
