namespace Fanout.PresenceStore;

/// <summary>How many distinct users and connections are in a room.</summary>
public sealed record RoomPresenceStats(string Room, int Users, int Connections);
