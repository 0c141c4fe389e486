using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.PresenceStore.Redis;

/// <summary>
/// Readiness of the Redis presence store (a <c>PING</c>). What a failure means is the caller's to say: unhealthy for
/// the presence service, degraded for the services that only lose presence while Redis is away.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await redis.Database.PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"Redis answered in {latency.TotalMilliseconds:F1} ms");
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return new HealthCheckResult(context.Registration.FailureStatus,
                "Redis is unreachable: presence (who is in a room, live nodes, join/leave) is paused; event delivery does not depend on it",
                ex);
        }
    }
}
