namespace Fanout.PresenceStore;

/// <summary>
/// Who is in which room, cluster-wide: one entry per (room, connection), grouped by user.
/// <para>Guarantees every implementation keeps:</para>
/// <list type="bullet">
/// <item>Adding and removing are idempotent per (room, node, connection): repeating one changes nothing and logs no
/// transition, so a node may replay its whole state at any time.</item>
/// <item>A user is a member of a room while at least one entry of theirs (on any node) is in it. Exactly when their
/// first entry is added a <see cref="PresenceAction.Join"/> transition is logged, and exactly when their last is
/// removed a <see cref="PresenceAction.Leave"/>: per (room, user) the log alternates join, leave, join …</item>
/// <item>The transition log is in the order the store applied the changes (one total order for every writer). It is
/// bounded: when nobody takes from it, the oldest transitions are dropped first.</item>
/// <item>An entry is only added for a registered node (<see cref="INodeRegistry"/>); eviction of a lapsed node stops
/// as soon as the node registers again.</item>
/// </list>
/// </summary>
public interface IPresenceStore
{
    Task<AddOutcome> AddAsync(PresenceEntry entry, CancellationToken cancellationToken = default);

    /// <summary><c>true</c> when the entry was there (and is now gone).</summary>
    Task<bool> RemoveAsync(string nodeId, PresenceEntryKey key, CancellationToken cancellationToken = default);

    /// <summary>The entries the store holds for <paramref name="nodeId"/>.</summary>
    Task<IReadOnlyCollection<PresenceEntryKey>> GetNodeEntriesAsync(string nodeId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes up to <paramref name="batchSize"/> entries of a lapsed (claimed or deregistered) node, logging the
    /// leave transitions they cause; call until <see cref="EvictionOutcome.Remaining"/> is 0.
    /// </summary>
    Task<EvictionOutcome> EvictNodeAsync(string nodeId, int batchSize, CancellationToken cancellationToken = default);

    /// <summary>The room's members, by user id.</summary>
    Task<IReadOnlyList<PresenceMember>> GetMembersAsync(string room, CancellationToken cancellationToken = default);

    Task<RoomPresenceStats> GetStatsAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>Takes (removes and returns) up to <paramref name="max"/> of the oldest logged transitions, oldest first.</summary>
    Task<IReadOnlyList<PresenceTransition>> TakeTransitionsAsync(int max, CancellationToken cancellationToken = default);
}
