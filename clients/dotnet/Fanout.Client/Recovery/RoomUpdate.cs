namespace Fanout.Client;

/// <summary>
/// What one step of a <see cref="RoomTracker"/> produced: <paramref name="Notices"/> to hand out in order, and whether
/// the room must be subscribed again (a gap in seq, or an event of another epoch, while live).
/// </summary>
internal sealed record RoomUpdate(IReadOnlyList<RoomNotice> Notices, bool ResubscribeNeeded)
{
    public static RoomUpdate None { get; } = new([], false);
}
