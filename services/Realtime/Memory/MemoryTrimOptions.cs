using System.ComponentModel.DataAnnotations;

namespace Fanout.Realtime.Memory;

/// <summary>
/// When a node gives memory back after many connections closed (section <c>Realtime:MemoryTrim</c>). The .NET GC keeps
/// the memory of closed connections until later collections need it, and an idle node makes none: after 10,000
/// connections left, a node kept ~70 % of what they had taken (docs/benchmarks.md: Memory).
/// </summary>
public sealed class MemoryTrimOptions
{
    public const string SectionName = "Realtime:MemoryTrim";

    /// <summary>Off turns the trim off (the GC's own timing only). Default on.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// Connections that must have closed since the highest count seen (and stayed closed for one check) before the node
    /// runs a compacting collection that returns free memory to the operating system. Default 1,000.
    /// </summary>
    [Range(1, 10_000_000)]
    public int MinClosedConnections { get; set; } = 1_000;

    /// <summary>How often the connection count is looked at, in milliseconds. Default 10,000.</summary>
    [Range(100, 3_600_000)]
    public int CheckIntervalMs { get; set; } = 10_000;
}
