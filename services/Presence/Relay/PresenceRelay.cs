using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;
using Fanout.Presence.Options;
using Fanout.PresenceStore;
using Microsoft.Extensions.Options;

namespace Fanout.Presence.Relay;

/// <summary>
/// Takes the join/leave transitions the store logged (in the store's one order) and sends them to the rooms' nodes,
/// filtered and rate-bounded per room (<see cref="JoinLeavePolicy"/>, <see cref="JoinLeaveCoalescer"/>). Only the
/// holder of the <c>presence-relay</c> lease relays, so with several presence instances the order is still one.
/// Delivery is at most once: a transition taken and then not published (broker down, a crash) is not sent again.
/// </summary>
public sealed class PresenceRelay(
    IPresenceStore store,
    ILeaderLease lease,
    IPresencePublisher publisher,
    JoinLeavePolicy policy,
    TimeProvider clock,
    IOptions<PresenceServiceOptions> options,
    ILogger<PresenceRelay> logger) : BackgroundService
{
    public const string LeaseName = "presence-relay";
    private static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(5);

    private readonly string _owner = $"{Environment.MachineName}-{Environment.ProcessId}-{Guid.NewGuid():N}";
    private readonly JoinLeaveCoalescer _coalescer = new(clock);
    private readonly TimeSpan _interval = TimeSpan.FromMilliseconds(options.Value.RelayIntervalMs);
    private readonly int _batch = options.Value.RelayBatchSize;
    private bool _leader;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var full = false;
            try
            {
                full = await RelayOnceAsync(stoppingToken);
                if (_failing)
                {
                    _failing = false;
                    PresenceLog.RelayResumed(logger);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                if (!_failing)
                {
                    _failing = true;
                    PresenceLog.RelayFailed(logger, ex);
                }

                await Delay(TimeSpan.FromSeconds(1), stoppingToken);
                continue;
            }

            if (!full)
            {
                await Delay(_leader ? _interval : TimeSpan.FromSeconds(1), stoppingToken);
            }
        }

        await lease.ReleaseAsync(LeaseName, _owner, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2), CancellationToken.None)
            .ContinueWith(_ => { }, TaskScheduler.Default);
    }

    /// <summary>One round; <c>true</c> when the log may hold more right away.</summary>
    private async Task<bool> RelayOnceAsync(CancellationToken cancellationToken)
    {
        var leader = await lease.TryHoldAsync(LeaseName, _owner, LeaseTtl, cancellationToken);
        if (leader != _leader)
        {
            _leader = leader;
            PresenceLog.RelayLeadership(logger, leader, _owner);
        }

        if (!leader)
        {
            return false;
        }

        var taken = await store.TakeTransitionsAsync(_batch, cancellationToken);
        foreach (var transition in taken)
        {
            if (policy.RateFor(transition.Room) is { } perSecond)
            {
                _coalescer.Add(transition, perSecond);
            }
        }

        var ready = _coalescer.Drain();
        if (ready.Count > 0)
        {
            await publisher.PublishAsync(GroupByRoom(ready), cancellationToken);
        }

        return taken.Count == _batch;
    }

    /// <summary>One message per room, each room's changes in order; rooms in the order of their first change.</summary>
    private static List<RoomPresenceChanged> GroupByRoom(IReadOnlyList<PresenceTransition> ready) =>
        ready.GroupBy(t => t.Room, StringComparer.Ordinal)
            .Select(g => new RoomPresenceChanged(g.Key, g.Select(ToMessage).ToList()))
            .ToList();

    private static PresenceMessage ToMessage(PresenceTransition t) =>
        new(t.Room, t.UserId, t.Action == PresenceAction.Join ? PresenceMessage.Join : PresenceMessage.Leave, t.At);

    private static Task Delay(TimeSpan delay, CancellationToken cancellationToken) =>
        Task.Delay(delay, cancellationToken).ContinueWith(_ => { }, TaskScheduler.Default);
}
