using System.ComponentModel.DataAnnotations;

namespace Fanout.Messaging;

/// <summary>Broker topology settings every service must agree on.</summary>
public sealed class TopologyOptions
{
    public const string SectionName = "Topology";

    /// <summary>
    /// Number of sequencer partitions (queues <c>fanout.submit.0..N-1</c>). Every Ingest, fanout and realtime
    /// process of a cluster must use the same value; a process with another value fails at start
    /// (the submit exchange is declared with it as an argument).
    /// </summary>
    [Range(1, 1024)]
    public int Partitions { get; set; } = 16;
}
