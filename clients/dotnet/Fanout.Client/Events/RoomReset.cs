namespace Fanout.Client;

/// <summary>
/// A room could not be recovered from the client's position, so events may have been missed: the application should
/// reload the room's state. The subscription goes on live from <paramref name="Epoch"/>/<paramref name="LastSeq"/>.
/// <paramref name="Reason"/> is the server's (<c>"epochChanged"</c>, <c>"trimmed"</c>, <c>"tooMany"</c>),
/// <c>"beyondLastSeq"</c> when the server refused the position as ahead of the room, <c>"gap"</c> when a gap stayed
/// open through three resubscribes, or <c>"unknown"</c> when the server gave none.
/// </summary>
public sealed record RoomReset(string Room, string? Reason, string Epoch, long LastSeq);
