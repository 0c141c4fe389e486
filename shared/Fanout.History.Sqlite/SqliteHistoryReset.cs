using System.Security.Cryptography;
using Fanout.History.Retention;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fanout.History.Sqlite;

/// <summary>
/// <see cref="IHistoryReset"/>: one short transaction gives the room a new stored epoch and moves its first retained seq
/// past its last (readers stop returning its events at once), then the rows are deleted in batches.
/// </summary>
public sealed class SqliteHistoryReset(
    SqliteHistoryDatabase database, IOptions<RetentionOptions> options, ILogger<SqliteHistoryReset> logger) : IHistoryReset
{
    private const string ResetSql = """
        INSERT INTO rooms (room_id, epoch, last_seq, first_seq, created_at) VALUES ($room, $epoch, 0, 1, $now)
        ON CONFLICT (room_id) DO UPDATE SET epoch = excluded.epoch, first_seq = rooms.last_seq + 1, trim_at = 0
        RETURNING epoch, last_seq, first_seq
        """;

    public async Task<RoomPosition> ResetAsync(string room, CancellationToken cancellationToken)
    {
        var position = await database.WriteAsync(write =>
        {
            var reset = write.Command(ResetSql);
            reset.Parameters.AddWithValue("$room", room);
            reset.Parameters.AddWithValue("$epoch", Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8)));
            reset.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.UtcTicks);
            using var reader = reset.ExecuteReader();
            reader.Read();
            return new RoomPosition(write.EpochOf(room, reader.GetString(0)), reader.GetInt64(1)) { FirstSeq = reader.GetInt64(2) };
        }, cancellationToken);

        SqliteHistoryLog.RoomReset(logger, room, position.Epoch, position.FirstSeq);
        await SqliteEventPruner.DeleteBelowAsync(database, room, position.FirstSeq, options.Value.TrimBatchSize, cancellationToken);
        return position;
    }
}
