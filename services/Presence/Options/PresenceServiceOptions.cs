using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace Fanout.Presence.Options;

/// <summary>Settings of the presence service (section <c>PresenceService</c>).</summary>
public sealed class PresenceServiceOptions
{
    public const string SectionName = "PresenceService";

    /// <summary>
    /// How often, in milliseconds, lapsed nodes are looked for. A crashed node is declared dead within its heartbeat TTL
    /// (3 × <c>Presence:HeartbeatIntervalMs</c>) plus this.
    /// </summary>
    [Range(100, 60_000)]
    public int SweepIntervalMs { get; set; } = 2_000;

    /// <summary>Entries of a dead node removed per Redis call while evicting it.</summary>
    [Range(1, 10_000)]
    public int EvictionBatchSize { get; set; } = 500;

    /// <summary>How often, in milliseconds, logged join/leave transitions are relayed to the rooms' nodes when the log is idle.</summary>
    [Range(10, 5_000)]
    public int RelayIntervalMs { get; set; } = 50;

    /// <summary>Transitions taken from the log per relay round.</summary>
    [Range(1, 100_000)]
    public int RelayBatchSize { get; set; } = 2_000;

    /// <summary>Which rooms get join/leave messages, and how many per second.</summary>
    [Required]
    [ValidateObjectMembers]
    public JoinLeaveOptions JoinLeave { get; set; } = new();
}
