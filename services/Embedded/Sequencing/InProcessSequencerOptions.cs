using System.ComponentModel.DataAnnotations;

namespace Fanout.Embedded.Sequencing;

/// <summary>How the embedded sequencer batches commits (section <c>Sequencer</c>, as in the distributed mode).</summary>
public sealed class InProcessSequencerOptions
{
    public const string SectionName = "Sequencer";

    /// <summary>Most events stored in one SQLite transaction (one sync to disk).</summary>
    [Range(1, 10_000)]
    public int MaxBatchEvents { get; set; } = 500;

    /// <summary>
    /// Most accepted events waiting for their commit. Past it, publishing answers 503 with <c>Retry-After</c> rather than
    /// queueing without bound (a request that finds the queue empty is always taken, whatever its size).
    /// </summary>
    [Range(100, 10_000_000)]
    public int MaxQueuedEvents { get; set; } = 20_000;
}
