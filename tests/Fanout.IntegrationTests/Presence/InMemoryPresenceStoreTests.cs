using Fanout.PresenceStore.InMemory;

namespace Fanout.IntegrationTests.Presence;

/// <summary>The presence spec against the single-process stores (embedded mode).</summary>
public sealed class InMemoryPresenceStoreTests : PresenceStoreSpec
{
    protected override Stores Create(int maxTransitions = 100_000)
    {
        var state = new InMemoryPresenceState(TimeProvider.System, maxTransitions);
        return new Stores(new InMemoryNodeRegistry(state), new InMemoryPresenceStore(state), new InMemoryLeaderLease(TimeProvider.System));
    }
}
