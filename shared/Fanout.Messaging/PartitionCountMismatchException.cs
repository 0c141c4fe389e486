namespace Fanout.Messaging;

/// <summary>This process's <c>Topology:Partitions</c> is not the partition count the cluster's broker was set up with.</summary>
public sealed class PartitionCountMismatchException(string message) : InvalidOperationException(message);
