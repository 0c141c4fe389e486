namespace Fanout.Messaging;

/// <summary>
/// A partition queue exists on the broker with other arguments than this process declares: a classic queue of a Fanout
/// version before quorum partition queues, or another <c>Topology:MaxQueuedMessagesPerPartition</c>. The queues must be
/// drained and deleted (docs/operations.md); the process refuses to start meanwhile.
/// </summary>
public sealed class PartitionQueueMismatchException(string message) : InvalidOperationException(message);
