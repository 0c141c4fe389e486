using System.ComponentModel.DataAnnotations;

namespace Fanout.Realtime.Options;

/// <summary>How a node recovers reconnecting clients (section <c>Realtime</c>, like <see cref="RealtimeOptions"/>).</summary>
public sealed class RecoveryOptions
{
    public const string SectionName = "Realtime";

    /// <summary>
    /// Most events one <c>Subscribe</c> replays. A client missing more gets <c>recovered: false</c> (reason
    /// <c>tooMany</c>) and no replay; missing exactly this many still recovers.
    /// </summary>
    [Range(1, 100_000)]
    public int MaxReplay { get; set; } = 1_000;

    /// <summary>
    /// Newest events the node keeps in memory per room to replay without reading PostgreSQL (0 turns the cache off).
    /// Replays longer than this read PostgreSQL directly.
    /// </summary>
    [Range(0, 100_000)]
    public int CacheEventsPerRoom { get; set; } = 1_000;

    /// <summary>Most events the node's cache holds across all rooms; the least recently used rooms are dropped beyond it.</summary>
    [Range(0, 100_000_000)]
    public int CacheMaxEvents { get; set; } = 200_000;
}
