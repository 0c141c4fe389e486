using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.History.Sqlite;

/// <summary>Ready while the history file answers a read; degraded while writes fail (a full disk, a read-only file).</summary>
public sealed class SqliteHealthCheck(SqliteHistoryDatabase database) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var connection = database.OpenReader();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM history_incarnation";
            command.ExecuteScalar();
        }
        catch (Exception ex)
        {
            return Task.FromResult(HealthCheckResult.Unhealthy($"The history database {database.DatabasePath} cannot be read", ex));
        }

        return Task.FromResult(database.WriteFailure is { } failure
            ? HealthCheckResult.Degraded($"Writes to {database.DatabasePath} fail ({failure}): publishing answers 503; reading goes on")
            : HealthCheckResult.Healthy($"{database.DatabasePath} open"));
    }
}
