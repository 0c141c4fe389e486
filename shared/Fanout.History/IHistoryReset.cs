namespace Fanout.History;

/// <summary>
/// Deletes a room's history (the history store seam, administration).
/// Guarantee: once it returns, the room has a new epoch, no retained event (its first retained seq is its last seq
/// + 1) and its seqs continue from where they were, so no seq is ever reused for another event of the room. Events
/// committed after the reset belong to the new epoch.
/// </summary>
public interface IHistoryReset
{
    /// <summary>Resets the room (also one that never had an event) and returns its new position.</summary>
    Task<RoomPosition> ResetAsync(string room, CancellationToken cancellationToken);
}
