using Npgsql;

namespace Fanout.History.Idempotency;

/// <summary>Forgets idempotency keys stored longer ago than the window, in batches, each its own statement.</summary>
public static class IdempotencyKeyPruner
{
    private const string DeleteSql = """
        DELETE FROM idempotency_keys WHERE event_id IN (
            SELECT event_id FROM idempotency_keys WHERE stored_at < now() - @window LIMIT @batch)
        """;

    /// <summary>Returns how many keys were forgotten.</summary>
    public static async Task<long> ForgetOlderThanAsync(
        NpgsqlDataSource dataSource, TimeSpan window, int batchSize, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            await using var command = dataSource.CreateCommand(DeleteSql);
            command.Parameters.Add(new NpgsqlParameter<TimeSpan>("window", window));
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
