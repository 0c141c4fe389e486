namespace Fanout.PresenceStore;

/// <summary>
/// A named lease that at most one owner holds at a time, for work that must run once per cluster (relaying the
/// presence transitions in order).
/// <para>Guarantee: while <see cref="TryHoldAsync"/> keeps answering <c>true</c> to an owner within <c>ttl</c> of its
/// previous call, no other owner gets <c>true</c>. An owner that stops renewing loses the lease after <c>ttl</c>.</para>
/// </summary>
public interface ILeaderLease
{
    /// <summary>Takes the lease when it is free (or already ours) and extends it to <paramref name="ttl"/> from now.</summary>
    Task<bool> TryHoldAsync(string name, string owner, TimeSpan ttl, CancellationToken cancellationToken = default);

    /// <summary>Gives the lease up if <paramref name="owner"/> holds it.</summary>
    Task ReleaseAsync(string name, string owner, CancellationToken cancellationToken = default);
}
