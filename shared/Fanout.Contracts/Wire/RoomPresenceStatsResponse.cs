namespace Fanout.Contracts.Wire;

/// <summary><c>GET /v1/rooms/{room}/presence/stats</c> and the hub's <c>PresenceStats</c>: distinct users and their connections.</summary>
public sealed record RoomPresenceStatsResponse(string Room, int Users, int Connections);
