using Fanout.PresenceStore;
using Fanout.Realtime.Metrics;
using Fanout.Realtime.Rooms;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Presence;

/// <summary>
/// Keeps the store in step with this node (<see cref="NodePresenceTracker"/>), in one loop so every write is in order:
/// a heartbeat every <c>Presence:HeartbeatIntervalMs</c>, and the queued changes as they come. When the store did not
/// know the node (first start, after its registration lapsed or it was evicted, after Redis lost its data) or a write
/// failed (Redis down), the node reconciles: it adds every entry it holds and removes every entry the store has for
/// it that it does not hold. So presence is whole again within one heartbeat of Redis answering. On a clean stop the
/// node deregisters and removes its entries itself (its users' leaves go out at once, not after the TTL).
/// </summary>
public sealed class NodePresenceSync(
    NodePresenceTracker tracker,
    RoomRegistry rooms,
    INodeRegistry registry,
    IPresenceStore store,
    IServer server,
    TimeProvider clock,
    IOptions<PresenceOptions> presence,
    IOptions<NodePresenceOptions> options,
    ILogger<NodePresenceSync> logger) : BackgroundService
{
    private const int MaxChangesPerRound = 500;
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(presence.Value.HeartbeatIntervalMs);
    private readonly TimeSpan _ttl = presence.Value.HeartbeatTtl;
    private readonly DateTimeOffset _startedAt = clock.GetUtcNow();
    private (DateTimeOffset At, long Delivered) _lastRate;
    private bool _needsReconcile = true;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextHeartbeat = clock.GetUtcNow();
        while (!stoppingToken.IsCancellationRequested)
        {
            var now = clock.GetUtcNow();
            if (now >= nextHeartbeat)
            {
                await HeartbeatAsync(stoppingToken);
                nextHeartbeat = now + _interval;
            }

            await ApplyChangesAsync(stoppingToken);
            if (_needsReconcile && !_failing)
            {
                nextHeartbeat = clock.GetUtcNow();
                continue;
            }

            await WaitAsync(nextHeartbeat - clock.GetUtcNow(), stoppingToken);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(3));
            await registry.DeregisterAsync(tracker.NodeId, timeout.Token);
            var removed = 0;
            EvictionOutcome outcome;
            do
            {
                outcome = await store.EvictNodeAsync(tracker.NodeId, 1_000, timeout.Token);
                removed += outcome.Removed;
            }
            while (outcome is { NodeIsBack: false, Remaining: > 0 });

            await registry.CompleteEvictionAsync(tracker.NodeId, timeout.Token);
            RealtimeLog.PresenceDeregistered(logger, tracker.NodeId, removed);
        }
        catch (Exception ex)
        {
            // The presence service evicts the node when its registration lapses.
            RealtimeLog.PresenceDeregisterFailed(logger, ex, tracker.NodeId);
        }
    }

    private async Task HeartbeatAsync(CancellationToken cancellationToken)
    {
        try
        {
            var heartbeat = new NodeHeartbeat(
                tracker.NodeId, Address(), tracker.Connections, tracker.Subscriptions, _startedAt, rooms.Count, DeliveryRate());
            var registered = await registry.HeartbeatAsync(heartbeat, _ttl, cancellationToken);
            if (registered || _needsReconcile)
            {
                await ReconcileAsync(registered, cancellationToken);
            }

            Recovered();
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(ex);
        }
    }

    /// <summary>Events delivered per second since the previous heartbeat (0 at the first).</summary>
    private double DeliveryRate()
    {
        var now = clock.GetUtcNow();
        var delivered = RealtimeMetrics.DeliveredTotal;
        var (at, before) = _lastRate;
        _lastRate = (now, delivered);
        var seconds = (now - at).TotalSeconds;
        return at == default || seconds <= 0 ? 0 : (delivered - before) / seconds;
    }

    /// <summary>Makes the store hold exactly this node's entries (each write idempotent, so changes queued meanwhile stay right).</summary>
    private async Task ReconcileAsync(bool registered, CancellationToken cancellationToken)
    {
        var held = tracker.Snapshot();
        var stored = (await store.GetNodeEntriesAsync(tracker.NodeId, cancellationToken)).ToHashSet();
        var heldKeys = held.Select(e => e.Key).ToHashSet();
        var added = held.Where(e => !stored.Contains(e.Key)).ToList();
        var stale = stored.Where(k => !heldKeys.Contains(k)).ToList();
        await Task.WhenAll(added.Select(e => store.AddAsync(e, cancellationToken)));
        await Task.WhenAll(stale.Select(k => store.RemoveAsync(tracker.NodeId, k, cancellationToken)));
        _needsReconcile = false;
        RealtimeLog.PresenceReconciled(logger, tracker.NodeId, registered, held.Count, added.Count, stale.Count);
    }

    private async Task ApplyChangesAsync(CancellationToken cancellationToken)
    {
        var batch = new List<PresenceChange>();
        while (batch.Count < MaxChangesPerRound && tracker.Changes.TryRead(out var change))
        {
            batch.Add(change);
        }

        if (batch.Count == 0 || _needsReconcile)
        {
            // While the store is out of step, queued changes are dropped: the reconcile writes the node's whole state.
            return;
        }

        try
        {
            // Each write is issued before the next (one connection pipelines them), so the store applies them in order.
            var writes = batch.Select(change => ApplyAsync(change, cancellationToken)).ToList();
            var applied = await Task.WhenAll(writes);
            if (applied.Contains(false))
            {
                // The store no longer knows this node (it lapsed and was evicted): register and reconcile now.
                _needsReconcile = true;
            }
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Failed(ex);
        }
    }

    /// <summary><c>false</c> when the store refused the write because it does not know this node.</summary>
    private async Task<bool> ApplyAsync(PresenceChange change, CancellationToken cancellationToken)
    {
        if (change.Entry is { } entry)
        {
            return await store.AddAsync(entry, cancellationToken) != AddOutcome.NodeNotRegistered;
        }

        await store.RemoveAsync(tracker.NodeId, change.Key, cancellationToken);
        return true;
    }

    private async Task WaitAsync(TimeSpan delay, CancellationToken cancellationToken)
    {
        if (delay <= TimeSpan.Zero)
        {
            return;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(delay);
        await tracker.Changes.WaitToReadAsync(timeout.Token).AsTask().ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private void Failed(Exception exception)
    {
        _needsReconcile = true;
        if (!_failing)
        {
            _failing = true;
            RealtimeLog.PresenceUnavailable(logger, exception, tracker.NodeId);
        }
    }

    private void Recovered()
    {
        if (_failing)
        {
            _failing = false;
            RealtimeLog.PresenceRestored(logger, tracker.NodeId);
        }
    }

    private string Address() =>
        options.Value.Address
        ?? server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
        ?? "";
}
