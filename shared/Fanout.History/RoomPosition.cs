namespace Fanout.History;

/// <summary>Where a room's history stands: its epoch and the seq of its newest event.</summary>
public sealed record RoomPosition(string Epoch, long LastSeq)
{
    /// <summary>The position of a room that never had an event.</summary>
    public static RoomPosition Empty { get; } = new(string.Empty, 0);
}
