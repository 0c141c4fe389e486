namespace Fanout.History.Sqlite;

/// <summary>Forgets idempotency keys stored longer ago than the window, in batches, each its own short write transaction.</summary>
internal static class SqliteIdempotencyKeyPruner
{
    private const string DeleteSql = """
        DELETE FROM idempotency_keys WHERE event_id IN (
            SELECT event_id FROM idempotency_keys WHERE stored_at < $cutoff LIMIT $batch)
        """;

    /// <summary>Returns how many keys were forgotten.</summary>
    public static Task<long> ForgetOlderThanAsync(
        SqliteHistoryDatabase database, TimeSpan window, int batchSize, CancellationToken cancellationToken)
    {
        var cutoff = DateTimeOffset.UtcNow.UtcTicks - window.Ticks;
        return SqliteBatchDelete.RunAsync(database, DeleteSql, parameters => parameters.AddWithValue("$cutoff", cutoff), batchSize, cancellationToken);
    }
}
