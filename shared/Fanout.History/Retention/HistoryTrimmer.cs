using Fanout.History.Idempotency;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fanout.History.Retention;

/// <summary>
/// One retention pass over every room: moves each room's first retained seq up to its limits (count, then age) in a
/// one-row statement, then deletes the rows below it in batches. Only one process trims at a time: a pass runs only
/// while it holds a PostgreSQL advisory lock (held by its own session, so it blocks nobody else and is released if
/// the process dies). Each pass also checks the database's incarnation (<see cref="HistoryIncarnation"/>) and forgets
/// the idempotency keys older than <see cref="IdempotencyOptions.Window"/>.
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

    private const string RoomsSql = """
        SELECT r.room_id, r.first_seq, r.last_seq, lo.seq, now() - old.stored_at
        FROM rooms r
        LEFT JOIN LATERAL (SELECT seq FROM room_events e WHERE e.room_id = r.room_id ORDER BY seq LIMIT 1) lo ON true
        LEFT JOIN LATERAL (SELECT stored_at FROM room_events e WHERE e.room_id = r.room_id AND e.seq >= r.first_seq
                           ORDER BY seq LIMIT 1) old ON true
        WHERE r.room_id > @after
        ORDER BY r.room_id
        LIMIT @limit
        """;

    private const string AgeFloorSql = """
        SELECT coalesce(max(seq), 0) + 1 FROM room_events
        WHERE room_id = @room AND seq >= @first AND stored_at < now() - @maxAge
        """;

    private const string MoveFirstSql = "UPDATE rooms SET first_seq = greatest(first_seq, @first) WHERE room_id = @room";

    private readonly int _batchSize = options.Value.TrimBatchSize;

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
            var (rooms, events) = await TrimAllAsync(cancellationToken);
            var keys = await IdempotencyKeyPruner.ForgetOlderThanAsync(dataSource, idempotency.Value.Window, _batchSize, cancellationToken);
            return new TrimResult(rooms, events, renewed) { KeysForgotten = keys };
        }
        finally
        {
            await using var unlock = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", session);
            unlock.Parameters.Add(new NpgsqlParameter<long>("key", LockKey));
            await unlock.ExecuteScalarAsync(CancellationToken.None);
        }
    }

    private async Task<(int Rooms, long Events)> TrimAllAsync(CancellationToken cancellationToken)
    {
        var (rooms, events, after) = (0, 0L, string.Empty);
        while (true)
        {
            var page = await ReadRoomsAsync(after, cancellationToken);
            foreach (var room in page)
            {
                var deleted = await TrimAsync(room, cancellationToken);
                if (deleted > 0)
                {
                    rooms++;
                    events += deleted;
                }
            }

            if (page.Count < RoomsPerPage)
            {
                return (rooms, events);
            }

            after = page[^1].Room;
        }
    }

    private async Task<long> TrimAsync(RoomState room, CancellationToken cancellationToken)
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

        return room.MinSeq is { } min && min < target
            ? await RoomEventPruner.DeleteBelowAsync(dataSource, room.Room, target, _batchSize, cancellationToken)
            : 0;
    }

    private async Task<List<RoomState>> ReadRoomsAsync(string after, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(RoomsSql);
        command.Parameters.Add(new NpgsqlParameter<string>("after", after));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", RoomsPerPage));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var rooms = new List<RoomState>();
        while (await reader.ReadAsync(cancellationToken))
        {
            rooms.Add(new RoomState(
                reader.GetString(0), reader.GetInt64(1), reader.GetInt64(2),
                reader.IsDBNull(3) ? null : reader.GetInt64(3),
                reader.IsDBNull(4) ? null : reader.GetFieldValue<TimeSpan>(4)));
        }

        return rooms;
    }

    private sealed record RoomState(string Room, long FirstSeq, long LastSeq, long? MinSeq, TimeSpan? OldestAge);
}

/// <summary>
/// What one trim pass did: rooms trimmed, events deleted, whether the database's incarnation was renewed, and how many
/// idempotency keys older than the window were forgotten.
/// </summary>
public sealed record TrimResult(int Rooms, long Events, bool IncarnationRenewed)
{
    public long KeysForgotten { get; init; }
}
