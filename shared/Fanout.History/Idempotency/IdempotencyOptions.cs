using System.ComponentModel.DataAnnotations;

namespace Fanout.History.Idempotency;

/// <summary>
/// How long an idempotency key is remembered (section <c>Idempotency</c>), independently of the room's history
/// retention: a repeat of (room, key) within <see cref="Window"/> of the first commit stores nothing and delivers
/// nothing, even after the event was trimmed or the room reset. The trimmer forgets keys older than the window at its
/// next pass (<c>Retention:TrimIntervalMs</c>), so a key is remembered at least the window.
/// </summary>
public sealed class IdempotencyOptions
{
    public const string SectionName = "Idempotency";

    /// <summary>How long a key is remembered after its event is stored (e.g. <c>1.00:00:00</c> for a day).</summary>
    [Range(typeof(TimeSpan), "00:01:00", "30.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromDays(1);
}
