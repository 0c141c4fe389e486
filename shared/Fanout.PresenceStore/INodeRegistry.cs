namespace Fanout.PresenceStore;

/// <summary>
/// Which realtime nodes are alive, shared by every process of the cluster.
/// <para>Guarantees every implementation keeps:</para>
/// <list type="bullet">
/// <item>A node is live from its heartbeat until <c>ttl</c> after its latest one, measured on the store's clock (so node
/// clocks do not matter).</item>
/// <item><see cref="HeartbeatAsync"/> answers <c>true</c> when the store did not hold the node as live: its first
/// heartbeat, after it lapsed, after it was evicted, after the store lost its data. The node must then re-add
/// everything it holds (<see cref="IPresenceStore.GetNodeEntriesAsync"/> tells what the store still has).</item>
/// <item><see cref="ClaimLapsedAsync"/> hands each lapsed node to exactly one caller, however many sweepers run;
/// once claimed the node is no longer listed as live.</item>
/// <item>A claimed or deregistered node stays in the pending evictions until <see cref="CompleteEvictionAsync"/>, so a
/// sweeper that dies half way through an eviction leaves it to the next one, never orphaned.</item>
/// </list>
/// </summary>
public interface INodeRegistry
{
    /// <summary>Records a heartbeat valid for <paramref name="ttl"/>; <c>true</c> when the node was not registered.</summary>
    Task<bool> HeartbeatAsync(NodeHeartbeat heartbeat, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Removes the node's registration at once (a clean shutdown) and makes it a pending eviction.</summary>
    Task DeregisterAsync(string nodeId, CancellationToken cancellationToken = default);

    /// <summary>The nodes whose registration has not lapsed, by node id.</summary>
    Task<IReadOnlyList<LiveNode>> GetLiveNodesAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Up to <paramref name="max"/> nodes whose registration lapsed, each claimed by this caller alone: removed from the
    /// live nodes and made pending evictions.
    /// </summary>
    Task<IReadOnlyList<string>> ClaimLapsedAsync(int max, CancellationToken cancellationToken = default);

    /// <summary>Nodes claimed or deregistered whose entries are not all evicted yet.</summary>
    Task<IReadOnlyList<string>> GetPendingEvictionsAsync(CancellationToken cancellationToken = default);

    /// <summary>The node's entries are all gone (or it registered again): it is no longer a pending eviction.</summary>
    Task CompleteEvictionAsync(string nodeId, CancellationToken cancellationToken = default);
}
