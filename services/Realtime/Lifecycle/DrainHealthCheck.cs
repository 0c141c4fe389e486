using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Realtime.Lifecycle;

/// <summary>Readiness: unhealthy while the node drains, so load balancers send new clients elsewhere.</summary>
public sealed class DrainHealthCheck(DrainState state) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(state.IsDraining ? HealthCheckResult.Unhealthy("draining: shutting down") : HealthCheckResult.Healthy());
}
