namespace Fanout.History.Sqlite;

/// <summary>Deletes a room's events below a seq in batches, each its own short write transaction, so commits interleave.</summary>
internal static class SqliteEventPruner
{
    private const string DeleteSql = """
        DELETE FROM room_events WHERE room_id = $room AND seq IN (
            SELECT seq FROM room_events WHERE room_id = $room AND seq < $below ORDER BY seq LIMIT $batch)
        """;

    /// <summary>Returns how many events were deleted.</summary>
    public static Task<long> DeleteBelowAsync(
        SqliteHistoryDatabase database, string room, long below, int batchSize, CancellationToken cancellationToken) =>
        SqliteBatchDelete.RunAsync(database, DeleteSql, parameters =>
        {
            parameters.AddWithValue("$room", room);
            parameters.AddWithValue("$below", below);
        }, batchSize, cancellationToken);
}
