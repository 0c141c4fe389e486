using Fanout.Contracts.Validation;
using Fanout.Presence.Options;
using Microsoft.Extensions.Options;

namespace Fanout.Presence.Relay;

/// <summary>Whether a room gets join/leave messages and at what rate: the first matching rule, else the defaults.</summary>
public sealed class JoinLeavePolicy(IOptions<PresenceServiceOptions> options)
{
    private readonly JoinLeaveOptions _options = options.Value.JoinLeave;

    /// <summary>Null when the room gets no join/leave messages; else its rate per second.</summary>
    public double? RateFor(string room)
    {
        foreach (var rule in _options.Rooms)
        {
            if (RoomPattern.Matches(rule.Pattern, room))
            {
                return rule.Enabled ? rule.MaxPerSecond ?? _options.MaxPerSecond : null;
            }
        }

        return _options.Enabled ? _options.MaxPerSecond : null;
    }
}
