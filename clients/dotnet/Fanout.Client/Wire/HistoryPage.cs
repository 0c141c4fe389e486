namespace Fanout.Client;

/// <summary>
/// The answer of the hub's <c>History(room, after, limit)</c>: up to the limit of the room's stored events after the
/// seq asked for, oldest first, and the room's <paramref name="Epoch"/> and <paramref name="LastSeq"/> when it was read.
/// Page on with <c>after</c> = the last event's seq until it reaches <paramref name="LastSeq"/>.
/// </summary>
public sealed record HistoryPage(string Room, string Epoch, long LastSeq, IReadOnlyList<FanoutEvent> Events);
