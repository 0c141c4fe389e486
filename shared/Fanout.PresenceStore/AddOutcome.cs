namespace Fanout.PresenceStore;

/// <summary>What <see cref="IPresenceStore.AddAsync"/> did.</summary>
public enum AddOutcome
{
    /// <summary>The entry was already there; nothing changed.</summary>
    AlreadyPresent,

    /// <summary>The entry was added; the user already had another connection in the room.</summary>
    Added,

    /// <summary>The entry was added and it is the user's first connection in the room: a join transition was logged.</summary>
    Joined,

    /// <summary>
    /// The node is not registered (it never heartbeated, or it lapsed and was evicted): nothing was added. The node
    /// registers with a heartbeat and then re-adds everything it holds.
    /// </summary>
    NodeNotRegistered,
}
