using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Fanout.Messaging;

/// <summary>
/// Stops a process at start whose <c>Topology:Partitions</c> differs from the cluster's, or whose partition queues the
/// broker holds with other arguments (<see cref="SubmissionTopology"/>, which it declares): the host fails to start with
/// the reason. A broker that does not answer within <see cref="StartCheckTimeout"/> is not
/// waited for (the process starts and keeps trying, as it does for any outage); the publish and intake paths check again
/// on every new connection and refuse to work on a mismatch.
/// </summary>
public sealed partial class PartitionCountGuard(
    RabbitMqConnectionSource connections,
    IOptions<TopologyOptions> topology,
    ILogger<PartitionCountGuard> logger) : IHostedService
{
    public static readonly TimeSpan StartCheckTimeout = TimeSpan.FromSeconds(5);

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StartCheckTimeout);
        try
        {
            var connection = await connections.GetConnectionAsync(timeout.Token);
            await SubmissionTopology.DeclareAsync(connection, topology.Value, timeout.Token);
        }
        catch (Exception ex) when (ex is not PartitionCountMismatchException and not PartitionQueueMismatchException
                                   && !cancellationToken.IsCancellationRequested)
        {
            LogNotChecked(logger, topology.Value.Partitions, ex.Message);
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Could not check Topology:Partitions = {Partitions} against the broker at start ({Reason}); it is checked again on every connection")]
    private static partial void LogNotChecked(ILogger logger, int partitions, string reason);
}
