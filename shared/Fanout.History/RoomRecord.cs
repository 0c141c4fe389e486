namespace Fanout.History;

/// <summary>A room's sequence counter: <see cref="LastSeq"/> is the seq of its newest event.</summary>
public sealed class RoomRecord
{
    public required string RoomId { get; set; }

    /// <summary>
    /// The stored part of the room's epoch: <c>''</c> until its history is first reset, then a new random value at each
    /// reset. Clients see <c>fanout_epoch(room_id, epoch)</c>, which also changes with the database's incarnation.
    /// </summary>
    public required string Epoch { get; set; }

    public long LastSeq { get; set; }

    /// <summary>The first retained seq (<see cref="LastSeq"/> + 1 when nothing is retained).</summary>
    public long FirstSeq { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }
}
