namespace Fanout.Client;

/// <summary>The answer of the hub's <c>PresenceStats(room)</c>: how many users and connections are in the room.</summary>
public sealed record PresenceStats(string Room, int Users, int Connections);
