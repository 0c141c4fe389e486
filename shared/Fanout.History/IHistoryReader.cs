using Fanout.Contracts.Wire;

namespace Fanout.History;

/// <summary>
/// Reads a room's history (the history store seam, read side).
/// Guarantee: what it returns was committed; events come oldest first with consecutive seqs and never beyond
/// the position read in the same call.
/// </summary>
public interface IHistoryReader
{
    /// <summary>The room's position; <see cref="RoomPosition.Empty"/> for a room that never had an event.</summary>
    Task<RoomPosition> GetPositionAsync(string room, CancellationToken cancellationToken);

    /// <summary>Positions of several rooms at once (rooms with no history are left out).</summary>
    Task<IReadOnlyDictionary<string, RoomPosition>> GetPositionsAsync(IReadOnlyCollection<string> rooms, CancellationToken cancellationToken);

    /// <summary>
    /// The room's position and at most <paramref name="limit"/> events with <c>afterSeq &lt; seq &lt;= position.LastSeq</c>.
    /// </summary>
    Task<RoomHistoryPage> ReadAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken);
}
