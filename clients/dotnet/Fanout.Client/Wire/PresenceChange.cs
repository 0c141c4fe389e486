namespace Fanout.Client;

/// <summary>
/// The hub's <c>presence</c> message: <paramref name="UserId"/> joined or left <paramref name="Room"/>.
/// <paramref name="Action"/> is <c>"join"</c> or <c>"leave"</c>.
/// </summary>
public sealed record PresenceChange(string Room, string UserId, string Action, DateTimeOffset At);
