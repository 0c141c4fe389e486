using Fanout.Contracts.Wire;
using Microsoft.Data.Sqlite;

namespace Fanout.History.Sqlite;

/// <summary>
/// <see cref="IHistoryReader"/> over the SQLite file. Each call reads in one transaction, so the position and the events
/// it answers come from one snapshot; only retained events (<c>seq &gt;= first_seq</c>) are returned. A room that never
/// had an event has its epoch too (stored epoch <c>''</c>), the one its first event will carry.
/// </summary>
public sealed class SqliteHistoryReader(SqliteHistoryDatabase database) : IHistoryReader
{
    private const string PositionSql = "SELECT epoch, last_seq, first_seq FROM rooms WHERE room_id = $room";

    private const string EventsSql = """
        SELECT seq, event_id, type, data, published_at FROM room_events
        WHERE room_id = $room AND seq > $after AND seq <= $last
        ORDER BY seq LIMIT $limit
        """;

    public Task<RoomPosition> GetPositionAsync(string room, CancellationToken cancellationToken)
    {
        HistoryMetrics.CountQuery("position");
        using var connection = database.OpenReader();
        return Task.FromResult(Position(connection, null, room));
    }

    public Task<IReadOnlyDictionary<string, RoomPosition>> GetPositionsAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken)
    {
        var positions = new Dictionary<string, RoomPosition>(StringComparer.Ordinal);
        if (rooms.Count == 0)
        {
            return Task.FromResult<IReadOnlyDictionary<string, RoomPosition>>(positions);
        }

        HistoryMetrics.CountQuery("positions");
        using var connection = database.OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = PositionSql;
        var parameter = command.Parameters.Add("$room", SqliteType.Text);
        foreach (var room in rooms)
        {
            cancellationToken.ThrowIfCancellationRequested();
            parameter.Value = room;
            using var reader = command.ExecuteReader();
            if (reader.Read())
            {
                positions[room] = new RoomPosition(database.EpochOf(room, reader.GetString(0)), reader.GetInt64(1)) { FirstSeq = reader.GetInt64(2) };
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, RoomPosition>>(positions);
    }

    public Task<RoomHistoryPage> ReadAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken)
    {
        HistoryMetrics.CountQuery("read");
        using var connection = database.OpenReader();
        using var transaction = connection.BeginTransaction(deferred: true);
        var position = Position(connection, transaction, room);
        var events = new List<RoomEvent>();
        if (limit > 0 && afterSeq < position.LastSeq)
        {
            using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = EventsSql;
            command.Parameters.AddWithValue("$room", room);
            command.Parameters.AddWithValue("$after", Math.Max(afterSeq, position.FirstSeq - 1));
            command.Parameters.AddWithValue("$last", position.LastSeq);
            command.Parameters.AddWithValue("$limit", limit);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                events.Add(SqliteRows.Event(room, position.Epoch, reader.GetInt64(0), new Guid((byte[])reader.GetValue(1)),
                    reader.GetString(2), reader.GetString(3), reader.GetInt64(4)));
            }
        }

        return Task.FromResult(new RoomHistoryPage(position, events));
    }

    private RoomPosition Position(SqliteConnection connection, SqliteTransaction? transaction, string room)
    {
        using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = PositionSql;
        command.Parameters.AddWithValue("$room", room);
        using var reader = command.ExecuteReader();
        return reader.Read()
            ? new RoomPosition(database.EpochOf(room, reader.GetString(0)), reader.GetInt64(1)) { FirstSeq = reader.GetInt64(2) }
            : new RoomPosition(database.EpochOf(room, string.Empty), 0);
    }
}
