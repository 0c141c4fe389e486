using System.ComponentModel.DataAnnotations;

namespace Fanout.Realtime.Options;

/// <summary>Settings of one realtime node.</summary>
public sealed class RealtimeOptions
{
    public const string SectionName = "Realtime";

    /// <summary>
    /// This node's id (letters, digits, <c>-</c> <c>_</c> <c>.</c>); names its broker queue. Default: host name plus a
    /// random suffix, new at every start.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9_.-]{1,64}$")]
    public string NodeId { get; set; } = $"{Environment.MachineName.ToLowerInvariant()}-{Guid.NewGuid().ToString("N")[..6]}";

    /// <summary>
    /// How often, in milliseconds, the node compares each of its rooms with history and fills what it missed
    /// (a lost routing message, a broker restart). Bounds how late a missed live event can be.
    /// </summary>
    [Range(100, 60_000)]
    public int PositionCheckIntervalMs { get; set; } = 2_000;

    /// <summary>How long, in milliseconds, the broker keeps this node's queue after the node stops consuming it.</summary>
    [Range(5_000, 86_400_000)]
    public int NodeQueueExpiresMs { get; set; } = 60_000;

    /// <summary>Events read from history per query while replaying or filling a gap.</summary>
    [Range(10, 10_000)]
    public int HistoryPageSize { get; set; } = 500;
}
