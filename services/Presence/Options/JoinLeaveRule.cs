using System.ComponentModel.DataAnnotations;
using Fanout.Contracts.Validation;

namespace Fanout.Presence.Options;

/// <summary>Join/leave settings for the rooms matching <see cref="Pattern"/> (<c>PresenceService:JoinLeave:Rooms:{i}</c>).</summary>
public sealed class JoinLeaveRule : IValidatableObject
{
    /// <summary>Room id pattern; <c>*</c> matches any run of characters.</summary>
    [Required]
    public string Pattern { get; set; } = "";

    /// <summary>Whether matching rooms get join/leave messages.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Messages per second per matching room; the section's default when not set.</summary>
    [Range(0.1, 100_000)]
    public double? MaxPerSecond { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RoomPattern.Validate(Pattern) is { } error)
        {
            yield return new ValidationResult(error, [nameof(Pattern)]);
        }
    }
}
