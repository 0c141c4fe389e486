namespace Fanout.Contracts.Wire;

/// <summary>
/// Result of the hub's <c>Subscribe</c>. <paramref name="LastSeq"/> is the position the subscription is at
/// once the call returns (the last replayed event, or the room's position when going live from now).
/// </summary>
public sealed record SubscribeResult(string Room, string Epoch, long LastSeq, bool Recovered, int Replayed);
