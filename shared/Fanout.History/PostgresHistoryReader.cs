using Fanout.Contracts.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace Fanout.History;

/// <summary>
/// <see cref="IHistoryReader"/> over PostgreSQL. Each call is one statement, so the position and the events it
/// answers come from one snapshot; only retained events (<c>seq &gt;= first_seq</c>) are returned. A room's epoch is
/// the stored <c>rooms.client_epoch</c>; only a room without a row gets it from <c>fanout_epoch(room, '')</c>. Every query is
/// counted (<see cref="HistoryMetrics"/>) and logged at Debug (event 2010).
/// </summary>
public sealed class PostgresHistoryReader(NpgsqlDataSource dataSource, ILogger<PostgresHistoryReader>? logger = null) : IHistoryReader
{
    private const string PositionSql = """
        SELECT coalesce(r.client_epoch, fanout_epoch(q.room_id, '')), coalesce(r.last_seq, 0), coalesce(r.first_seq, 1)
        FROM (SELECT @room AS room_id) q LEFT JOIN rooms r ON r.room_id = q.room_id
        """;

    private const string PositionsSql = """
        SELECT r.room_id, r.client_epoch, r.last_seq, r.first_seq FROM rooms r WHERE r.room_id = ANY(@rooms)
        """;

    private const string ReadAfterSql = """
        WITH pos AS (
            SELECT coalesce(r.client_epoch, fanout_epoch(q.room_id, '')) AS epoch, coalesce(r.last_seq, 0) AS last_seq,
                   coalesce(r.first_seq, 1) AS first_seq
            FROM (SELECT @room AS room_id) q LEFT JOIN rooms r ON r.room_id = q.room_id
        )
        SELECT p.epoch, p.last_seq, p.first_seq, e.seq, e.event_id, e.type, e.data::text, e.published_at
        FROM pos p LEFT JOIN LATERAL (
            SELECT seq, event_id, type, data, published_at FROM room_events
            WHERE room_id = @room AND seq > greatest(@after, p.first_seq - 1) AND seq <= p.last_seq
            ORDER BY seq LIMIT @limit
        ) e ON true
        ORDER BY e.seq
        """;

    private readonly ILogger _logger = logger ?? NullLogger<PostgresHistoryReader>.Instance;

    public async Task<RoomPosition> GetPositionAsync(string room, CancellationToken cancellationToken)
    {
        Count("position", room);
        await using var command = dataSource.CreateCommand(PositionSql);
        command.Parameters.Add(new NpgsqlParameter<string>("room", room));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new RoomPosition(reader.GetString(0), reader.GetInt64(1)) { FirstSeq = reader.GetInt64(2) };
    }

    public async Task<IReadOnlyDictionary<string, RoomPosition>> GetPositionsAsync(
        IReadOnlyCollection<string> rooms, CancellationToken cancellationToken)
    {
        var positions = new Dictionary<string, RoomPosition>(StringComparer.Ordinal);
        if (rooms.Count == 0)
        {
            return positions;
        }

        Count("positions", $"({rooms.Count} rooms)");
        await using var command = dataSource.CreateCommand(PositionsSql);
        command.Parameters.Add(new NpgsqlParameter<string[]>("rooms", rooms.ToArray()));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            positions[reader.GetString(0)] = new RoomPosition(reader.GetString(1), reader.GetInt64(2)) { FirstSeq = reader.GetInt64(3) };
        }

        return positions;
    }

    public async Task<RoomHistoryPage> ReadAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        Count("read", room);
        await using var command = dataSource.CreateCommand(ReadAfterSql);
        command.Parameters.Add(new NpgsqlParameter<string>("room", room));
        command.Parameters.Add(new NpgsqlParameter<long>("after", afterSeq));
        command.Parameters.Add(new NpgsqlParameter<int>("limit", Math.Max(limit, 0)));
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        RoomPosition? position = null;
        var events = new List<RoomEvent>();
        while (await reader.ReadAsync(cancellationToken))
        {
            position ??= new RoomPosition(reader.GetString(0), reader.GetInt64(1)) { FirstSeq = reader.GetInt64(2) };
            if (!reader.IsDBNull(3))
            {
                events.Add(new RoomEvent(
                    room, reader.GetInt64(3), position.Epoch, reader.GetGuid(4), reader.GetString(5),
                    EventJson.Parse(reader.GetString(6)), reader.GetFieldValue<DateTimeOffset>(7)));
            }
        }

        return new RoomHistoryPage(position!, events);
    }

    private void Count(string operation, string room)
    {
        HistoryMetrics.CountQuery(operation);
        HistoryLog.Query(_logger, operation, room, HistoryMetrics.TotalQueries);
    }
}
