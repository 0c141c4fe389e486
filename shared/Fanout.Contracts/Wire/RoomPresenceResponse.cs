namespace Fanout.Contracts.Wire;

/// <summary><c>GET /v1/rooms/{room}/presence</c> and the hub's <c>Presence</c>: the room's members, <paramref name="Count"/> users.</summary>
public sealed record RoomPresenceResponse(string Room, int Count, IReadOnlyList<PresenceMemberResponse> Members);
