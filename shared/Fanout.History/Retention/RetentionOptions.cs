using System.ComponentModel.DataAnnotations;
using Fanout.Contracts.Validation;

namespace Fanout.History.Retention;

/// <summary>
/// How much history each room keeps (section <c>Retention</c>). A room keeps at most <see cref="MaxEvents"/> events
/// and none older than <see cref="MaxAge"/>, unless the first of <see cref="Rules"/> whose pattern matches its id says
/// otherwise. The fanout service trims; every service that reads history applies the same limits, so give all of
/// them the same settings.
/// </summary>
public sealed class RetentionOptions : IValidatableObject
{
    public const string SectionName = "Retention";

    /// <summary>Most events a room keeps (the newest ones); 0 keeps none (seqs and live delivery still work).</summary>
    [Range(0, 100_000_000)]
    public int MaxEvents { get; set; } = 1_000;

    /// <summary>Oldest event a room keeps, by the time it was stored (e.g. <c>1.00:00:00</c> for a day).</summary>
    [Range(typeof(TimeSpan), "00:00:01", "3650.00:00:00")]
    public TimeSpan MaxAge { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Per-pattern limits; the first rule whose pattern matches a room applies, then the defaults above.</summary>
    public List<RetentionRule> Rules { get; set; } = [];

    /// <summary>How often, in milliseconds, the trimmer looks for rooms over their limits.</summary>
    [Range(100, 3_600_000)]
    public int TrimIntervalMs { get; set; } = 5_000;

    /// <summary>Most events deleted by one statement (each its own short transaction).</summary>
    [Range(10, 100_000)]
    public int TrimBatchSize { get; set; } = 500;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        for (var i = 0; i < Rules.Count; i++)
        {
            var rule = Rules[i];
            var key = $"{SectionName}:{nameof(Rules)}:{i}";
            if (RoomPattern.Validate(rule.Pattern) is { } patternError)
            {
                yield return new ValidationResult($"{key}:{nameof(RetentionRule.Pattern)}: {patternError}", [nameof(Rules)]);
            }

            if (rule.MaxEvents is < 0 or > 100_000_000)
            {
                yield return new ValidationResult($"{key}:{nameof(RetentionRule.MaxEvents)} must be 0-100000000", [nameof(Rules)]);
            }

            if (rule.MaxAge is { } age && (age < TimeSpan.FromSeconds(1) || age > TimeSpan.FromDays(3650)))
            {
                yield return new ValidationResult($"{key}:{nameof(RetentionRule.MaxAge)} must be 00:00:01-3650.00:00:00", [nameof(Rules)]);
            }
        }
    }
}
