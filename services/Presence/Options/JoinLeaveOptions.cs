using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fanout.Presence.Options;

/// <summary>
/// Join/leave messages (<c>PresenceService:JoinLeave</c>). Large rooms can flood their subscribers with them: turn them
/// off per room pattern, or bound their rate. Over the rate, transitions are coalesced per user (a join and a leave of
/// the same user in between cancel out), so subscribers still see each user alternate join, leave, join …
/// </summary>
public sealed class JoinLeaveOptions
{
    /// <summary>Whether rooms that match no rule get join/leave messages.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Join/leave messages per second per room (a burst of as many is allowed) for rooms that match no rule.</summary>
    [Range(0.1, 100_000)]
    public double MaxPerSecond { get; set; } = 20;

    /// <summary>Per room pattern settings (<c>chat:*</c>); the first rule whose pattern matches the room applies.</summary>
    [ValidateEnumeratedItems]
    public List<JoinLeaveRule> Rooms { get; set; } = [];
}
