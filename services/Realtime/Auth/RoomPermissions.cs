using System.Security.Claims;
using Fanout.Contracts.Validation;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

/// <summary>What a connection may do in a room.</summary>
public enum RoomAction
{
    Subscribe,
    Publish,
}

/// <summary>
/// Decides from a connection's token claims (<see cref="RoomPermissionsOptions"/>) whether it may subscribe to or
/// publish to a room. Invalid patterns in a claim grant nothing.
/// </summary>
public sealed class RoomPermissions(IOptions<RoomPermissionsOptions> options)
{
    /// <summary>The prefix of a user's personal room: <c>user:{sub}</c>.</summary>
    public const string PersonalRoomPrefix = "user:";

    private readonly RoomPermissionsOptions _options = options.Value;

    public bool Allows(ClaimsPrincipal? user, RoomAction action, string room)
    {
        if (user is null)
        {
            return false;
        }

        var sub = user.FindFirst(RealtimeAuthenticationDefaults.SubjectClaim)?.Value;
        if (!string.IsNullOrEmpty(sub) && room.Length == PersonalRoomPrefix.Length + sub.Length &&
            room.StartsWith(PersonalRoomPrefix, StringComparison.Ordinal) && room.EndsWith(sub, StringComparison.Ordinal))
        {
            return true;
        }

        var specific = action == RoomAction.Subscribe ? _options.SubscribeClaim : _options.PublishClaim;
        var anyClaim = false;
        foreach (var claim in user.Claims)
        {
            var both = string.Equals(claim.Type, _options.RoomsClaim, StringComparison.Ordinal);
            var forAction = string.Equals(claim.Type, specific, StringComparison.Ordinal);
            var other = !both && !forAction &&
                (string.Equals(claim.Type, _options.SubscribeClaim, StringComparison.Ordinal) ||
                 string.Equals(claim.Type, _options.PublishClaim, StringComparison.Ordinal));
            anyClaim |= both || forAction || other;
            if ((both || forAction) && Grants(claim.Value, room))
            {
                return true;
            }
        }

        return !anyClaim && !_options.Required;
    }

    private static bool Grants(string value, string room)
    {
        foreach (var pattern in value.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (RoomPattern.Validate(pattern) is null && RoomPattern.Matches(pattern, room))
            {
                return true;
            }
        }

        return false;
    }
}
