using System.ComponentModel.DataAnnotations;

namespace Fanout.PresenceStore;

/// <summary>Presence settings every process that reads or writes presence shares (section <c>Presence</c>).</summary>
public sealed class PresenceOptions
{
    public const string SectionName = "Presence";

    /// <summary>
    /// Prefix of every Redis key Fanout writes (letters, digits, <c>: _ - .</c>). Several clusters can share one Redis
    /// with different prefixes; every process of one cluster must use the same.
    /// </summary>
    [RegularExpression("^[A-Za-z0-9:_.-]{1,64}$")]
    public string KeyPrefix { get; set; } = "fanout:";

    /// <summary>
    /// How often, in milliseconds, a realtime node heartbeats. A node's registration lapses 3 heartbeats after its
    /// latest one (the TTL).
    /// </summary>
    [Range(250, 60_000)]
    public int HeartbeatIntervalMs { get; set; } = 2_000;

    /// <summary>How long a registration lives without a new heartbeat: 3 × <see cref="HeartbeatIntervalMs"/>.</summary>
    public TimeSpan HeartbeatTtl => TimeSpan.FromMilliseconds(3 * HeartbeatIntervalMs);

    /// <summary>At most this many join/leave transitions wait in the store for the presence service (oldest dropped first).</summary>
    [Range(1_000, 10_000_000)]
    public int MaxPendingTransitions { get; set; } = 100_000;
}
