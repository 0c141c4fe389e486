namespace Fanout.PresenceStore;

/// <summary>What one <see cref="IPresenceStore.EvictNodeAsync"/> call did.</summary>
/// <param name="Removed">Entries removed by this call.</param>
/// <param name="Remaining">Entries of the node still in the store (0: the eviction is complete).</param>
/// <param name="NodeIsBack">The node registered again meanwhile: nothing was removed, it reconciles its entries itself.</param>
public sealed record EvictionOutcome(int Removed, long Remaining, bool NodeIsBack);
