namespace Fanout.PresenceStore;

/// <summary>A user's transition in a room: their first connection joined, or their last one left.</summary>
public enum PresenceAction
{
    Join,
    Leave,
}
