namespace Fanout.History.Sqlite;

/// <summary>Deletes a room's events below a seq in batches, each its own short write transaction, so commits interleave.</summary>
internal static class SqliteEventPruner
{
    private const string DeleteSql = """
        DELETE FROM room_events WHERE room_id = $room AND seq IN (
            SELECT seq FROM room_events WHERE room_id = $room AND seq < $below ORDER BY seq LIMIT $batch)
        """;

    /// <summary>Returns how many events were deleted.</summary>
    public static async Task<long> DeleteBelowAsync(
        SqliteHistoryDatabase database, string room, long below, int batchSize, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            var rows = await database.WriteAsync(write =>
            {
                var delete = write.Command(DeleteSql);
                delete.Parameters.AddWithValue("$room", room);
                delete.Parameters.AddWithValue("$below", below);
                delete.Parameters.AddWithValue("$batch", batchSize);
                return delete.ExecuteNonQuery();
            }, cancellationToken);
            deleted += rows;
            if (rows < batchSize)
            {
                return deleted;
            }
        }
    }
}
