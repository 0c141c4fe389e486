using Fanout.Presence.Options;
using Fanout.PresenceStore;
using Microsoft.Extensions.Options;

namespace Fanout.Presence.Metrics;

/// <summary>
/// Every <see cref="PresenceServiceOptions.SweepIntervalMs"/>: reads the live nodes from the registry for the heartbeat
/// gauges (<see cref="PresenceMetrics"/>), so a scrape never waits on Redis. When Redis cannot be read the gauges are
/// empty (absent) rather than stale.
/// </summary>
public sealed class NodeHeartbeatMonitor(INodeRegistry registry, TimeProvider clock, IOptions<PresenceServiceOptions> options) : BackgroundService
{
    private volatile IReadOnlyList<LiveNode>? _nodes;

    /// <summary>The live nodes as last read; null when the last read failed (or none was made yet).</summary>
    public IReadOnlyList<LiveNode>? Nodes => _nodes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.SweepIntervalMs), clock);
        try
        {
            do
            {
                try
                {
                    _nodes = await registry.GetLiveNodesAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
                {
                    _nodes = null; // The sweeper logs Redis failures.
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
