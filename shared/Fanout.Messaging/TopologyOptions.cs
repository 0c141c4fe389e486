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

    /// <summary>
    /// Most messages waiting in one partition queue (a message holds one publish, or several sharing it: group commit).
    /// Beyond it the broker refuses new messages (quorum queue <c>x-max-length</c> with <c>reject-publish</c>) and
    /// Ingest answers 503 with <c>Retry-After</c>, so a PostgreSQL outage cannot grow the backlog without bound. Every
    /// process of a cluster must use the same value: it is an argument of the queues, fixed when they are created
    /// (changing it means draining and deleting them: docs/operations.md).
    /// </summary>
    [Range(1, 100_000_000)]
    public int MaxQueuedMessagesPerPartition { get; set; } = 100_000;
}
