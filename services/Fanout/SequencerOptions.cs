using System.ComponentModel.DataAnnotations;

namespace Fanout.Sequencer;

/// <summary>How the sequencer batches and retries.</summary>
public sealed class SequencerOptions
{
    public const string SectionName = "Sequencer";

    /// <summary>Most events stored in one PostgreSQL transaction (and routed after it).</summary>
    [Range(1, 10_000)]
    public int MaxBatchEvents { get; set; } = 500;

    /// <summary>Unacknowledged messages the broker may push to each partition consumer.</summary>
    [Range(1, 65_535)]
    public int PrefetchPerPartition { get; set; } = 500;

    /// <summary>Longest pause, in milliseconds, between retries of a batch PostgreSQL refused for a transient reason.</summary>
    [Range(50, 60_000)]
    public int MaxRetryDelayMs { get; set; } = 5_000;

    /// <summary>
    /// This instance's number among <see cref="InstanceCount"/> sequencers (0-based). Partition queues have one active
    /// consumer each, taken by whichever instance subscribes first: an instance subscribes at once to the partitions
    /// with <c>p mod InstanceCount == InstanceIndex</c> and to the others only after <see cref="StandbyDelayMs"/>, so that
    /// instances started together share the partitions, and one alone still takes them all.
    /// </summary>
    [Range(0, 1023)]
    public int InstanceIndex { get; set; }

    /// <summary>How many sequencer instances the partitions are meant to be shared by.</summary>
    [Range(1, 1024)]
    public int InstanceCount { get; set; } = 1;

    /// <summary>Delay, in milliseconds, before this instance also subscribes (as a standby) to the other instances' partitions.</summary>
    [Range(0, 600_000)]
    public int StandbyDelayMs { get; set; } = 3_000;

    /// <summary>True when partition <paramref name="partition"/> is this instance's to take at once.</summary>
    public bool Prefers(int partition) => partition % InstanceCount == InstanceIndex % InstanceCount;
}
