using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Npgsql;
using NpgsqlTypes;

namespace Fanout.History;

/// <summary>
/// <see cref="ISequencedHistoryWriter"/> in two round trips per batch: look up already stored ids, then one
/// statement that bumps every touched room's counter (<c>rooms.last_seq</c>, row-locked, rooms in id order)
/// and inserts the new rows numbered from it, in the same transaction. A room's first event creates its row with
/// the stored epoch <c>''</c>, so it carries the epoch the room already had while empty (<c>fanout_epoch</c>).
/// A concurrent writer that stores the same id first makes the insert fail on the unique index; the caller
/// retries and then finds it stored.
/// </summary>
public sealed class PostgresSequencedHistoryWriter(NpgsqlDataSource dataSource) : ISequencedHistoryWriter
{
    private const string FindStoredSql = """
        SELECT e.event_id, e.room_id, e.seq, fanout_epoch(r.room_id, r.epoch), e.type, e.data::text, e.published_at
        FROM room_events e JOIN rooms r ON r.room_id = e.room_id
        WHERE e.event_id = ANY(@ids)
        """;

    private const string AppendSql = """
        WITH input AS (
            SELECT * FROM unnest(@ids, @rooms, @types, @datas, @published, @ords)
                AS t(event_id, room_id, type, data, published_at, ord)
        ), counts AS (
            SELECT room_id, count(*)::bigint AS n FROM input GROUP BY room_id
        ), bumped AS (
            INSERT INTO rooms AS r (room_id, epoch, last_seq)
            SELECT room_id, '', n FROM counts ORDER BY room_id
            ON CONFLICT (room_id) DO UPDATE SET last_seq = r.last_seq + EXCLUDED.last_seq
            RETURNING r.room_id, fanout_epoch(r.room_id, r.epoch) AS epoch, r.last_seq
        ), numbered AS (
            SELECT i.event_id, i.room_id, i.type, i.data, i.published_at, b.epoch,
                   b.last_seq - c.n + row_number() OVER (PARTITION BY i.room_id ORDER BY i.ord) AS seq
            FROM input i
            JOIN bumped b ON b.room_id = i.room_id
            JOIN counts c ON c.room_id = i.room_id
        ), inserted AS (
            INSERT INTO room_events (room_id, seq, event_id, type, data, published_at)
            SELECT room_id, seq, event_id, type, data::json, published_at FROM numbered
            RETURNING event_id
        )
        SELECT n.event_id, n.seq, n.epoch FROM numbered n
        """;

    public async Task<IReadOnlyList<RoomEvent>> AppendAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
    {
        var unique = DistinctById(events);
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        var stored = await FindStoredAsync(connection, transaction, unique, cancellationToken);
        var fresh = stored.Count == 0 ? unique : unique.Where(e => !stored.ContainsKey(e.Id)).ToList();
        var assigned = fresh.Count == 0
            ? new Dictionary<Guid, (long Seq, string Epoch)>()
            : await InsertAsync(connection, transaction, fresh, cancellationToken);

        await transaction.CommitAsync(cancellationToken);

        var result = new List<RoomEvent>(unique.Count);
        foreach (var submitted in unique)
        {
            if (stored.TryGetValue(submitted.Id, out var existing))
            {
                result.Add(existing);
            }
            else
            {
                var (seq, epoch) = assigned[submitted.Id];
                result.Add(new RoomEvent(submitted.Room, seq, epoch, submitted.Id, submitted.Type, submitted.Data, submitted.PublishedAt));
            }
        }

        result.Sort(static (a, b) => a.Room == b.Room ? a.Seq.CompareTo(b.Seq) : string.CompareOrdinal(a.Room, b.Room));
        return result;
    }

    private static List<SubmittedEvent> DistinctById(IReadOnlyList<SubmittedEvent> events)
    {
        var seen = new HashSet<Guid>();
        var unique = new List<SubmittedEvent>(events.Count);
        foreach (var submitted in events)
        {
            if (seen.Add(submitted.Id))
            {
                unique.Add(submitted);
            }
        }

        return unique;
    }

    private static async Task<Dictionary<Guid, RoomEvent>> FindStoredAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<SubmittedEvent> events, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(FindStoredSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", events.Select(e => e.Id).ToArray()));
        var stored = new Dictionary<Guid, RoomEvent>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var id = reader.GetGuid(0);
            stored[id] = new RoomEvent(
                reader.GetString(1), reader.GetInt64(2), reader.GetString(3), id, reader.GetString(4),
                EventJson.Parse(reader.GetString(5)), reader.GetFieldValue<DateTimeOffset>(6));
        }

        return stored;
    }

    private static async Task<Dictionary<Guid, (long Seq, string Epoch)>> InsertAsync(
        NpgsqlConnection connection, NpgsqlTransaction transaction, List<SubmittedEvent> events, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(AppendSql, connection, transaction);
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", events.Select(e => e.Id).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("rooms", events.Select(e => e.Room).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("types", events.Select(e => e.Type).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("datas", events.Select(e => e.Data.GetRawText()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("published", events.Select(e => e.PublishedAt.ToUniversalTime()).ToArray())
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter<int[]>("ords", Enumerable.Range(0, events.Count).ToArray()));

        var assigned = new Dictionary<Guid, (long Seq, string Epoch)>(events.Count);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            assigned[reader.GetGuid(0)] = (reader.GetInt64(1), reader.GetString(2));
        }

        return assigned;
    }
}
