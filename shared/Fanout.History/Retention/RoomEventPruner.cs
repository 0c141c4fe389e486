using Npgsql;

namespace Fanout.History.Retention;

/// <summary>Deletes a room's events below a seq in batches, each its own statement (no long transaction, no room lock).</summary>
public static class RoomEventPruner
{
    private const string DeleteSql = """
        DELETE FROM room_events WHERE room_id = @room AND seq IN (
            SELECT seq FROM room_events WHERE room_id = @room AND seq < @below ORDER BY seq LIMIT @batch)
        """;

    /// <summary>Returns how many events were deleted.</summary>
    public static async Task<long> DeleteBelowAsync(
        NpgsqlDataSource dataSource, string room, long below, int batchSize, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(DeleteSql);
            command.Parameters.Add(new NpgsqlParameter<string>("room", room));
            command.Parameters.Add(new NpgsqlParameter<long>("below", below));
            command.Parameters.Add(new NpgsqlParameter<int>("batch", batchSize));
            var rows = await command.ExecuteNonQueryAsync(cancellationToken);
            deleted += rows;
            if (rows < batchSize)
            {
                return deleted;
            }
        }
    }
}
