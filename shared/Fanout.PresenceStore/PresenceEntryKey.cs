namespace Fanout.PresenceStore;

/// <summary>Identifies a <see cref="PresenceEntry"/> within its node.</summary>
public readonly record struct PresenceEntryKey(string Room, string ConnectionId);
