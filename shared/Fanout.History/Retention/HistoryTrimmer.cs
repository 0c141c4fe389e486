using Fanout.History.Idempotency;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fanout.History.Retention;

/// <summary>
/// One retention pass over the rooms that are due: moves each room's first retained seq up to its limits (count, then
/// age) in a one-row statement, deletes the rows below it in batches, then notes when the room is due next
/// (<c>rooms.trim_at</c>: the time its oldest retained event passes its age limit, or null when it retains nothing).
/// A room is due once it was written or reset since the last visit (the writer and the reset set <c>trim_at</c> to
/// <c>-infinity</c> in their own statement) or once its oldest event aged out, so a pass reads those rooms from the
/// index <c>ix_rooms_trim_at</c> and its cost grows with them, not with every room ever seen. The first pass of a
/// process visits every room (retention settings may have changed since the last run). Only one process trims at a
/// time: a pass runs only while it holds a PostgreSQL advisory lock (held by its own session, so it blocks nobody else
/// and is released if the process dies). Each pass also checks the database's incarnation
/// (<see cref="HistoryIncarnation"/>) and forgets the idempotency keys older than <see cref="IdempotencyOptions.Window"/>.
/// </summary>
public sealed class HistoryTrimmer(
    NpgsqlDataSource dataSource,
    RetentionPolicy policy,
    HistoryIncarnation incarnation,
    IOptions<RetentionOptions> options,
    IOptions<IdempotencyOptions> idempotency)
    : IHistoryTrimmer
{
    /// <summary>The advisory lock key of the trimmer ("FanoutTR").</summary>
    public const long LockKey = 0x46616E6F75745452;

    private const int RoomsPerPage = 1_000;

    private const string RoomColumns = """
        SELECT r.room_id, r.first_seq, r.last_seq, r.trim_at::text, lo.seq, now() - old.stored_at,
               CASE WHEN isfinite(r.trim_at) THEN r.trim_at - old.stored_at END
        FROM rooms r
        LEFT JOIN LATERAL (SELECT seq FROM room_events e WHERE e.room_id = r.room_id ORDER BY seq LIMIT 1) lo ON true
        LEFT JOIN LATERAL (SELECT stored_at FROM room_events e WHERE e.room_id = r.room_id AND e.seq >= r.first_seq
                           ORDER BY seq LIMIT 1) old ON true
        """;

    /// <summary>Every room, in id order (the first pass of a process).</summary>
    private const string AllRoomsSql = RoomColumns + "\n" + """
        WHERE r.room_id > @after
        ORDER BY r.room_id
        LIMIT @limit
        """;

    /// <summary>
    /// The rooms due, in (trim_at, room_id) order from the index: a room written again during the pass sorts before
    /// where the pass has got to, so it waits for the next pass instead of keeping this one going. The position is
    /// passed as text, as read, so <c>-infinity</c> goes back as it came whatever Npgsql's infinity conversions are.
    /// </summary>
    private const string DueRoomsSql = RoomColumns + "\n" + """
        WHERE r.trim_at IS NOT NULL AND r.trim_at <= now() AND (r.trim_at, r.room_id) > (@afterAt::timestamptz, @after)
        ORDER BY r.trim_at, r.room_id
        LIMIT @limit
        """;

    private const string AgeFloorSql = """
        SELECT coalesce(max(seq), 0) + 1 FROM room_events
        WHERE room_id = @room AND seq >= @first AND stored_at < now() - @maxAge
        """;

    private const string MoveFirstSql = "UPDATE rooms SET first_seq = greatest(first_seq, @first) WHERE room_id = @room";

    /// <summary>
    /// When each room of a page is due next, in one statement (rows locked in id order, as the writer locks them), unless
    /// it was written or reset since it was read (then it stays due) or the value is already there (then no row version
    /// is written).
    /// </summary>
    private const string NextDueSql = """
        WITH next AS (
            SELECT u.room_id, u.first_seq, u.last_seq,
                   (SELECT e.stored_at FROM room_events e WHERE e.room_id = u.room_id AND e.seq >= u.first_seq ORDER BY e.seq LIMIT 1)
                   + make_interval(secs => u.max_age) AS due
            FROM unnest(@rooms, @firsts, @lasts, @maxAges) AS u(room_id, first_seq, last_seq, max_age)
        ), locked AS (
            SELECT r.room_id FROM rooms r JOIN next n ON n.room_id = r.room_id
            WHERE r.last_seq = n.last_seq AND r.first_seq = n.first_seq AND r.trim_at IS DISTINCT FROM n.due
            ORDER BY r.room_id
            FOR UPDATE OF r
        )
        UPDATE rooms r SET trim_at = n.due FROM next n, locked l
        WHERE r.room_id = l.room_id AND n.room_id = l.room_id
          AND r.last_seq = n.last_seq AND r.first_seq = n.first_seq AND r.trim_at IS DISTINCT FROM n.due
        """;

    private readonly int _batchSize = options.Value.TrimBatchSize;

    private bool _sweptAll;

    /// <summary>Null when another process holds the trimmer lock; otherwise what this pass did.</summary>
    public async Task<TrimResult?> RunPassAsync(CancellationToken cancellationToken)
    {
        await using var session = await dataSource.OpenConnectionAsync(cancellationToken);
        await using (var tryLock = new NpgsqlCommand("SELECT pg_try_advisory_lock(@key)", session))
        {
            tryLock.Parameters.Add(new NpgsqlParameter<long>("key", LockKey));
            if (!(bool)(await tryLock.ExecuteScalarAsync(cancellationToken))!)
            {
                return null;
            }
        }

        try
        {
            var renewed = await incarnation.CheckAsync(cancellationToken);
            var trimmed = await TrimRoomsAsync(all: !_sweptAll, cancellationToken);
            _sweptAll = true;
            var keys = await IdempotencyKeyPruner.ForgetOlderThanAsync(dataSource, idempotency.Value.Window, _batchSize, cancellationToken);
            return new TrimResult(trimmed.Rooms, trimmed.Events, renewed) { KeysForgotten = keys, RoomsVisited = trimmed.Visited };
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", session);
            unlock.Parameters.Add(new NpgsqlParameter<long>("key", LockKey));
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task<(int Rooms, long Events, int Visited)> TrimRoomsAsync(bool all, CancellationToken cancellationToken)
    {
        var (rooms, events, visited) = (0, 0L, 0);
        var (afterAt, after) = ("-infinity", string.Empty);
        while (true)
        {
            var page = await ReadRoomsAsync(all, afterAt, after, cancellationToken);
            visited += page.Count;
            var visits = new List<Visit>(page.Count);
            foreach (var room in page)
            {
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
                return (rooms, events, visited);
            }

            (afterAt, after) = (page[^1].TrimAt ?? "-infinity", page[^1].Room);
        }
    }

    private async Task<Visit> TrimAsync(RoomState room, CancellationToken cancellationToken)
    {
        var limits = policy.For(room.Room);
        var target = Math.Max(room.FirstSeq, room.LastSeq - limits.MaxEvents + 1);
        if (room.OldestAge is { } age && age > limits.MaxAge)
        {
            await using var ageFloor = dataSource.CreateCommand(AgeFloorSql);
            ageFloor.Parameters.Add(new NpgsqlParameter<string>("room", room.Room));
            ageFloor.Parameters.Add(new NpgsqlParameter<long>("first", room.FirstSeq));
            ageFloor.Parameters.Add(new NpgsqlParameter<TimeSpan>("maxAge", limits.MaxAge));
            target = Math.Max(target, (long)(await ageFloor.ExecuteScalarAsync(cancellationToken))!);
        }

        if (target > room.FirstSeq)
        {
            // First the floor (readers stop serving what is below it), then the rows.
            await using var move = dataSource.CreateCommand(MoveFirstSql);
            move.Parameters.Add(new NpgsqlParameter<string>("room", room.Room));
            move.Parameters.Add(new NpgsqlParameter<long>("first", target));
            await move.ExecuteNonQueryAsync(cancellationToken);
        }

        var deleted = room.MinSeq is { } min && min < target
            ? await RoomEventPruner.DeleteBelowAsync(dataSource, room.Room, target, _batchSize, cancellationToken)
            : 0;

        // A room it had nothing to do for whose due time is already right (after the first pass, most of them) needs no write.
        var upToDate = target == room.FirstSeq && deleted == 0 && (room.OldestAge is null
            ? room.TrimAt is null
            : room.Lead is { } lead && (lead - limits.MaxAge).Duration() < TimeSpan.FromMilliseconds(1));
        return new Visit(room.Room, target, room.LastSeq, limits.MaxAge, deleted, NoteNextDue: !upToDate);
    }

    private async Task NoteNextDueAsync(List<Visit> visits, CancellationToken cancellationToken)
    {
        if (visits.Count == 0)
        {
            return;
        }

        await using var command = dataSource.CreateCommand(NextDueSql);
        command.Parameters.Add(new NpgsqlParameter<string[]>("rooms", visits.Select(v => v.Room).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("firsts", visits.Select(v => v.FirstSeq).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<long[]>("lasts", visits.Select(v => v.LastSeq).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<double[]>("maxAges", visits.Select(v => v.MaxAge.TotalSeconds).ToArray()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<List<RoomState>> ReadRoomsAsync(bool all, string afterAt, string after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(all ? AllRoomsSql : DueRoomsSql);
        command.Parameters.Add(new NpgsqlParameter<string>("after", after));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", RoomsPerPage));
        if (!all)
        {
            command.Parameters.Add(new NpgsqlParameter<string>("afterAt", afterAt));
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rooms = new List<RoomState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rooms.Add(new RoomState(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetString(3),
                reader.IsDBNull(4) ? null : reader.GetInt64(4),
                reader.IsDBNull(5) ? null : reader.GetFieldValue<TimeSpan>(5),
                reader.IsDBNull(6) ? null : reader.GetFieldValue<TimeSpan>(6)));
        }

        return rooms;
    }

    /// <summary>A room as a pass read it; <see cref="Lead"/> is its due time minus its oldest retained event's store time.</summary>
    private sealed record RoomState(string Room, long FirstSeq, long LastSeq, string? TrimAt, long? MinSeq, TimeSpan? OldestAge, TimeSpan? Lead);

    /// <summary>What a pass did to one room, and whether its due time has to be written.</summary>
    private sealed record Visit(string Room, long FirstSeq, long LastSeq, TimeSpan MaxAge, long Deleted, bool NoteNextDue);
}

/// <summary>
/// What one trim pass did: rooms trimmed, events deleted, whether the database's incarnation was renewed, how many
/// idempotency keys older than the window were forgotten, and how many rooms the pass looked at.
/// </summary>
public sealed record TrimResult(int Rooms, long Events, bool IncarnationRenewed)
{
    public long KeysForgotten { get; init; }

    /// <summary>Rooms whose state the pass read (PostgreSQL: the rooms due; SQLite: every room).</summary>
    public int RoomsVisited { get; init; }
}
