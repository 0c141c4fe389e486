namespace Fanout.History;

/// <summary>A room's sequence counter: <see cref="LastSeq"/> is the seq of its newest event.</summary>
public sealed class RoomRecord
{
    public required string RoomId { get; set; }

    /// <summary>Identifies this lifetime of the room's history; a reset history gets a new epoch.</summary>
    public required string Epoch { get; set; }

    public long LastSeq { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
}
