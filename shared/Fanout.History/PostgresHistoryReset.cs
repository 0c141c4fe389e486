using Fanout.History.Retention;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Fanout.History;

/// <summary>
/// <see cref="IHistoryReset"/>: one short transaction gives the room a new stored epoch (and stores the epoch clients
/// see from it, <c>rooms.client_epoch</c>), marks it for the trimmer and moves its first retained seq past its last (readers stop returning its events at once), then the rows are deleted in batches, each its own
/// statement, so the room's row is never locked for long.
/// </summary>
public sealed class PostgresHistoryReset(
    NpgsqlDataSource dataSource, IOptions<RetentionOptions> options, ILogger<PostgresHistoryReset> logger) : IHistoryReset
{
    private const string ResetSql = """
        WITH fresh AS (SELECT substr(md5(random()::text || clock_timestamp()::text), 1, 16) AS epoch)
        INSERT INTO rooms AS r (room_id, epoch, last_seq, first_seq, client_epoch)
        SELECT @room, f.epoch, 0, 1, fanout_epoch(@room, f.epoch) FROM fresh f
        ON CONFLICT (room_id) DO UPDATE
            SET epoch = EXCLUDED.epoch, client_epoch = EXCLUDED.client_epoch, first_seq = r.last_seq + 1, trim_at = '-infinity'
        RETURNING r.client_epoch, r.last_seq, r.first_seq
        """;

    public async Task<RoomPosition> ResetAsync(string room, CancellationToken cancellationToken)
    {
        RoomPosition position;
        await using (var command = dataSource.CreateCommand(ResetSql))
        {
            command.Parameters.Add(new NpgsqlParameter<string>("room", room));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            position = new RoomPosition(reader.GetString(0), reader.GetInt64(1)) { FirstSeq = reader.GetInt64(2) };
        }

        HistoryLog.RoomReset(logger, room, position.Epoch, position.FirstSeq);
        await RoomEventPruner.DeleteBelowAsync(dataSource, room, position.FirstSeq, options.Value.TrimBatchSize, cancellationToken);
        return position;
    }
}
