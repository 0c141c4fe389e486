using Fanout.Contracts.Messages;
using Fanout.Contracts.Wire;

namespace Fanout.History;

/// <summary>
/// Appends accepted events to history, giving each its room's next seq (the history store seam, write side).
/// Guarantees: one atomic transaction per call; per room, seqs continue the room's counter with no gap and no
/// reuse, in list order; an event whose id is already stored is not stored again (idempotent by event id) and
/// is returned as stored. An id derived from an idempotency key (<see cref="Idempotency.KeyedEventIds"/>) is remembered
/// with its answer (room, seq, epoch) for <see cref="Idempotency.IdempotencyOptions.Window"/> independently of
/// retention and resets: a repeat within the window whose event is no longer in history is not stored again either,
/// and is left out of the result (there is nothing to route; subscribers had it or it was trimmed). Callers must not append the same room from two places at once if they need list order
/// to equal arrival order (the sequencer's partitions ensure that); concurrent calls stay correct but their
/// relative order is then the commit order.
/// </summary>
public interface ISequencedHistoryWriter
{
    /// <summary>
    /// Returns every event of the call as committed (new, and previously stored ones still in history), grouped by room
    /// in seq order; a remembered key whose event left history is not in it.
    /// </summary>
    Task<IReadOnlyList<RoomEvent>> AppendAsync(IReadOnlyList<SubmittedEvent> events, CancellationToken cancellationToken);
}
