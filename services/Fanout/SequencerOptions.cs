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
}
