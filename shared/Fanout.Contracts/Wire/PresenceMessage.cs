namespace Fanout.Contracts.Wire;

/// <summary>
/// The hub's <c>presence</c> message: <paramref name="UserId"/>'s first connection joined <paramref name="Room"/>
/// (<c>join</c>) or their last one left it (<c>leave</c>), at <paramref name="At"/>.
/// </summary>
public sealed record PresenceMessage(string Room, string UserId, string Action, DateTimeOffset At)
{
    public const string Join = "join";
    public const string Leave = "leave";
}
