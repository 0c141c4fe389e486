using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.History.Idempotency;
using Npgsql;
using NpgsqlTypes;

namespace Fanout.History;

/// <summary>
/// <see cref="ISequencedHistoryWriter"/> in one statement, so one round trip and one commit per batch: it finds the
/// ids already stored (their rows come back as they are), bumps every touched room's counter for the others
/// (<c>rooms.last_seq</c>, row-locked, rooms in id order) and inserts them numbered from it. A room's first event
/// creates its row with the stored epoch <c>''</c> and the epoch clients see computed once (<c>fanout_epoch</c>, the
/// one the room already had while empty) into <c>rooms.client_epoch</c>; later batches read it from there. Every batch
/// marks its rooms for the trimmer (<c>rooms.trim_at = -infinity</c>; unchanged while already marked). A concurrent writer that stores the same id first makes the insert fail on the unique
/// index (nothing of the statement is kept); the caller retries and then finds it stored. An id derived from an
/// idempotency key is also looked up in, and its answer kept in, <c>idempotency_keys</c>, so a repeat is recognised
/// after its event left history.
/// </summary>
public sealed class PostgresSequencedHistoryWriter(NpgsqlDataSource dataSource) : ISequencedHistoryWriter
{
    private const string AppendSql = """
        WITH input AS (
            SELECT * FROM unnest(@ids, @rooms, @types, @datas, @published, @ords, @keyed)
                AS t(event_id, room_id, type, data, published_at, ord, keyed)
        ), stored AS (
            SELECT e.event_id, e.room_id, e.seq, e.type, e.data, e.published_at
            FROM room_events e
            WHERE e.event_id = ANY(@ids)
        ), remembered AS (
            SELECT k.event_id FROM idempotency_keys k WHERE k.event_id = ANY(@ids)
        ), fresh AS (
            SELECT i.* FROM input i
            WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.event_id = i.event_id)
              AND NOT EXISTS (SELECT 1 FROM remembered k WHERE k.event_id = i.event_id)
        ), counts AS (
            SELECT room_id, count(*)::bigint AS n FROM fresh GROUP BY room_id
        ), bumped AS (
            INSERT INTO rooms AS r (room_id, epoch, last_seq, client_epoch)
            SELECT c.room_id, '', c.n, CASE WHEN x.room_id IS NULL THEN fanout_epoch(c.room_id, '') ELSE '' END
            FROM counts c LEFT JOIN rooms x ON x.room_id = c.room_id
            ORDER BY c.room_id
            ON CONFLICT (room_id) DO UPDATE SET last_seq = r.last_seq + EXCLUDED.last_seq, trim_at = '-infinity'
            RETURNING r.room_id, r.client_epoch AS epoch, r.last_seq
        ), numbered AS (
            SELECT i.event_id, i.room_id, i.type, i.data, i.published_at, i.keyed, b.epoch,
                   b.last_seq - c.n + row_number() OVER (PARTITION BY i.room_id ORDER BY i.ord) AS seq
            FROM fresh i
            JOIN bumped b ON b.room_id = i.room_id
            JOIN counts c ON c.room_id = i.room_id
        ), inserted AS (
            INSERT INTO room_events (room_id, seq, event_id, type, data, published_at)
            SELECT room_id, seq, event_id, type, data::json, published_at FROM numbered
            RETURNING event_id
        ), kept AS (
            INSERT INTO idempotency_keys (event_id, room_id, seq, epoch)
            SELECT event_id, room_id, seq, epoch FROM numbered WHERE keyed
        )
        SELECT n.event_id, n.seq, n.epoch, false AS was_stored, NULL::text, NULL::text, NULL::text, NULL::timestamptz
        FROM numbered n
        UNION ALL
        SELECT s.event_id, s.seq, r.client_epoch, true, s.room_id, s.type, s.data::text, s.published_at
        FROM stored s JOIN rooms r ON r.room_id = s.room_id
        """;

    public async Task<IReadOnlyList<RoomEvent>> AppendAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken)
    {
        var unique = DistinctById(events);
        var stored = new Dictionary<Guid, RoomEvent>();
        var assigned = new Dictionary<Guid, (long Seq, string Epoch)>(unique.Count);
        await using (var command = dataSource.CreateCommand(AppendSql))
        {
            AddParameters(command, unique);
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var id = reader.GetGuid(0);
                if (reader.GetBoolean(3))
                {
                    stored[id] = new RoomEvent(
                        reader.GetString(4), reader.GetInt64(1), reader.GetString(2), id, reader.GetString(5),
                        EventJson.Parse(reader.GetString(6)), reader.GetFieldValue<DateTimeOffset>(7));
                }
                else
                {
                    assigned[id] = (reader.GetInt64(1), reader.GetString(2));
                }
            }
        }

        var result = new List<RoomEvent>(unique.Count);
        foreach (var submitted in unique)
        {
            if (stored.TryGetValue(submitted.Id, out var existing))
            {
                result.Add(existing);
            }
            else if (assigned.TryGetValue(submitted.Id, out var fresh))
            {
                result.Add(new RoomEvent(submitted.Room, fresh.Seq, fresh.Epoch, submitted.Id, submitted.Type, submitted.Data, submitted.PublishedAt));
            }

            // Neither: a remembered idempotency key whose event is no longer in history; nothing to store or route.
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

    private static void AddParameters(NpgsqlCommand command, List<SubmittedEvent> events)
    {
        command.Parameters.Add(new NpgsqlParameter<Guid[]>("ids", events.Select(e => e.Id).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("rooms", events.Select(e => e.Room).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("types", events.Select(e => e.Type).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<string[]>("datas", events.Select(e => e.Data.GetRawText()).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset[]>("published", events.Select(e => e.PublishedAt.ToUniversalTime()).ToArray())
        {
            NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz,
        });
        command.Parameters.Add(new NpgsqlParameter<int[]>("ords", Enumerable.Range(0, events.Count).ToArray()));
        command.Parameters.Add(new NpgsqlParameter<bool[]>("keyed", events.Select(e => KeyedEventIds.IsKeyed(e.Id)).ToArray()));
    }
}
