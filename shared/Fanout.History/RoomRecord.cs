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

    /// <summary>
    /// The epoch clients see, <c>fanout_epoch(room_id, epoch)</c> stored: set when the room is created or reset, and
    /// recomputed for every room when the database's incarnation changes (a trigger on <c>history_incarnation</c>).
    /// </summary>
    public required string ClientEpoch { get; set; }

    public long LastSeq { get; set; }

    /// <summary>The first retained seq (<see cref="LastSeq"/> + 1 when nothing is retained).</summary>
    public long FirstSeq { get; set; } = 1;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>
    /// When the trimmer looks at the room next: <c>-infinity</c> once it was written or reset since its last visit, the
    /// time its oldest retained event passes its retention age, or null when it retains nothing.
    /// </summary>
    public DateTimeOffset? TrimAt { get; set; }
}
