using System.ComponentModel.DataAnnotations;

namespace Fanout.Realtime.Lifecycle;

/// <summary>How a realtime node drains when it is asked to stop (section <c>Realtime:Drain</c>).</summary>
public sealed class DrainOptions
{
    public const string SectionName = "Realtime:Drain";

    /// <summary>
    /// Longest time, in milliseconds, from SIGTERM to exit. The node tells its clients to reconnect in waves over the
    /// first half (so the other nodes are not hit by all of them at once), waits for them to go, and closes whatever is
    /// left at the end. 0 closes every connection at once.
    /// </summary>
    [Range(0, 300_000)]
    public int TimeoutMs { get; set; } = 10_000;
}
