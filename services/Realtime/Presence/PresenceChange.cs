using Fanout.PresenceStore;

namespace Fanout.Realtime.Presence;

/// <summary>A change of this node's presence to write to the store: an entry added (<see cref="Entry"/>) or removed.</summary>
public readonly record struct PresenceChange(PresenceEntryKey Key, PresenceEntry? Entry)
{
    public static PresenceChange Add(PresenceEntry entry) => new(entry.Key, entry);

    public static PresenceChange Remove(PresenceEntryKey key) => new(key, null);
}
