namespace Fanout.Contracts.Wire;

/// <summary>
/// Result of the hub's <c>Subscribe</c>: JSON <c>{room, epoch, lastSeq, recovered, replayed, reason}</c>.
/// <paramref name="LastSeq"/> is the position the subscription is at once the call returns (the last replayed event,
/// or the room's position when going live from now). <paramref name="Recovered"/> is true when every event after the
/// client's <c>afterSeq</c> was replayed; when it asked for recovery and got none, <paramref name="Reason"/> says why
/// (<see cref="RecoveryReasons"/>); it is null when recovered or when no recovery was asked (<c>afterSeq</c> null).
/// </summary>
public sealed record SubscribeResult(string Room, string Epoch, long LastSeq, bool Recovered, int Replayed, string? Reason = null);
