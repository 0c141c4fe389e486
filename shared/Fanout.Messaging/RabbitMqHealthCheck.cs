using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Fanout.Messaging;

/// <summary>Ready while an AMQP connection is open or can be opened.</summary>
public sealed class RabbitMqHealthCheck(RabbitMqConnectionSource connections) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await connections.GetConnectionAsync(timeout.Token);
            return HealthCheckResult.Healthy("RabbitMQ connection open");
        }
        catch (Exception ex)
        {
            return HealthCheckResult.Unhealthy("RabbitMQ unreachable", ex);
        }
    }
}
