using System.ComponentModel.DataAnnotations;
using Fanout.Contracts.Validation;

namespace Fanout.Realtime.Metrics;

/// <summary>How the node labels its per-room metrics (<c>room_pattern</c>), see <see cref="RoomBuckets"/>.</summary>
public sealed class RealtimeMetricsOptions : IValidatableObject
{
    public const string SectionName = "Realtime:Metrics";

    /// <summary>Room-id globs (<c>chat:*</c>); a room is counted under the first it matches, else <c>other</c>. Empty: by prefix.</summary>
    public List<string> RoomPatterns { get; set; } = [];

    /// <summary>With no <see cref="RoomPatterns"/>: the most distinct room prefixes labelled; later ones are <c>other</c>.</summary>
    [Range(1, 1000)]
    public int MaxRoomPrefixes { get; set; } = 50;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < RoomPatterns.Count; i++)
        {
            if (RoomPattern.Validate(RoomPatterns[i]) is { } error)
            {
                yield return new ValidationResult($"{SectionName}:RoomPatterns:{i}: {error}", [nameof(RoomPatterns)]);
            }
        }
    }
}
