using Fanout.Contracts.Messages;
using Fanout.Presence.Metrics;
using Fanout.Presence.Options;
using Fanout.PresenceStore;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Fanout.Presence.Sweeping;

/// <summary>
/// Every <see cref="PresenceServiceOptions.SweepIntervalMs"/>: claims the nodes whose heartbeat lapsed, announces each
/// dead over RabbitMQ (<see cref="NodeDown"/>: the fanout service stops routing to it), and evicts the presence entries
/// of every claimed or deregistered node (their users' leave transitions follow). Any number of presence instances
/// may sweep: a lapsed node is claimed by one of them, and an eviction left half done is finished by the next sweep.
/// After a Redis outage, claims wait one heartbeat TTL, so that nodes whose heartbeats could not be written meanwhile
/// renew them instead of being declared dead.
/// </summary>
public sealed class NodeSweeper(
    INodeRegistry registry,
    IPresenceStore store,
    IBus publish,
    TimeProvider clock,
    IOptions<PresenceServiceOptions> options,
    IOptions<PresenceOptions> presence,
    PresenceMetrics metrics,
    ILogger<NodeSweeper> logger) : BackgroundService
{
    private readonly PresenceServiceOptions _options = options.Value;
    private readonly TimeSpan _ttl = presence.Value.HeartbeatTtl;
    private readonly HashSet<string> _unannounced = new(StringComparer.Ordinal);
    private DateTimeOffset _claimsPausedUntil;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(_options.SweepIntervalMs), clock);
        do
        {
            try
            {
                await SweepAsync(stoppingToken);
                if (_failing)
                {
                    _failing = false;
                    PresenceLog.SweepResumed(logger, _claimsPausedUntil);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _claimsPausedUntil = clock.GetUtcNow() + _ttl;
                if (!_failing)
                {
                    _failing = true;
                    PresenceLog.SweepFailed(logger, ex);
                }
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).AsTask().ContinueWith(t => t.IsCompletedSuccessfully && t.Result, TaskScheduler.Default));
    }

    private async Task SweepAsync(CancellationToken cancellationToken)
    {
        if (clock.GetUtcNow() >= _claimsPausedUntil)
        {
            foreach (var nodeId in await registry.ClaimLapsedAsync(100, cancellationToken))
            {
                PresenceLog.NodeLapsed(logger, nodeId, _ttl.TotalMilliseconds);
                metrics.Lapsed();
                _unannounced.Add(nodeId);
            }
        }

        await AnnounceAsync(cancellationToken);
        foreach (var nodeId in await registry.GetPendingEvictionsAsync(cancellationToken))
        {
            await EvictAsync(nodeId, cancellationToken);
        }
    }

    /// <summary>Publishes <see cref="NodeDown"/> for each claimed node; what fails is tried again next sweep.</summary>
    private async Task AnnounceAsync(CancellationToken cancellationToken)
    {
        foreach (var nodeId in _unannounced.ToList())
        {
            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                timeout.CancelAfter(TimeSpan.FromSeconds(5));
                await publish.Publish(new NodeDown(nodeId, clock.GetUtcNow(), Clean: false), timeout.Token);
                _unannounced.Remove(nodeId);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                PresenceLog.AnnounceFailed(logger, ex, nodeId);
                return;
            }
        }
    }

    private async Task EvictAsync(string nodeId, CancellationToken cancellationToken)
    {
        var removed = 0;
        EvictionOutcome outcome;
        do
        {
            outcome = await store.EvictNodeAsync(nodeId, _options.EvictionBatchSize, cancellationToken);
            removed += outcome.Removed;
        }
        while (outcome is { NodeIsBack: false, Remaining: > 0 });

        await registry.CompleteEvictionAsync(nodeId, cancellationToken);
        PresenceLog.NodeEvicted(logger, nodeId, removed, outcome.NodeIsBack);
    }
}
