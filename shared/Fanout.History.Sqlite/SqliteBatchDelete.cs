using Microsoft.Data.Sqlite;

namespace Fanout.History.Sqlite;

/// <summary>
/// Runs a <c>DELETE … LIMIT $batch</c> again and again, each time in its own short write transaction (so that commits
/// interleave), until a round deletes fewer than a batch.
/// </summary>
internal static class SqliteBatchDelete
{
    /// <summary>Returns how many rows were deleted. <paramref name="bind"/> adds the statement's own parameters.</summary>
    public static async Task<long> RunAsync(
        SqliteHistoryDatabase database, string sql, Action<SqliteParameterCollection> bind, int batchSize, CancellationToken cancellationToken)
    {
        long deleted = 0;
        while (true)
        {
            var rows = await database.WriteAsync(write =>
            {
                var delete = write.Command(sql);
                bind(delete.Parameters);
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
