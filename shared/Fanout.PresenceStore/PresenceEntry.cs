namespace Fanout.PresenceStore;

/// <summary>
/// One connection subscribed to one room: the unit of presence. <paramref name="Name"/> is the user's display name
/// when the node is configured to read one from the access token.
/// </summary>
public sealed record PresenceEntry(string Room, string NodeId, string ConnectionId, string UserId, string? Name)
{
    public PresenceEntryKey Key => new(Room, ConnectionId);
}
