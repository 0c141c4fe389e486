namespace Fanout.History;

/// <summary>
/// Where a room's history stands: its epoch, the seq of its newest event, and <see cref="FirstSeq"/>, the first seq
/// history still holds (events <c>FirstSeq..LastSeq</c> are retained, consecutive; <c>LastSeq + 1</c> when none is).
/// </summary>
public sealed record RoomPosition(string Epoch, long LastSeq)
{
    /// <summary>A position with no epoch, for tests and fakes; PostgreSQL gives every room, even an empty one, an epoch.</summary>
    public static RoomPosition Empty { get; } = new(string.Empty, 0);

    public long FirstSeq { get; init; } = 1;

    /// <summary>True when every event after <paramref name="afterSeq"/> (up to <see cref="LastSeq"/>) is retained.</summary>
    public bool Retains(long afterSeq) => afterSeq >= LastSeq || afterSeq + 1 >= FirstSeq;
}
