namespace Fanout.Client;

/// <summary>
/// The answer of the hub's <c>Subscribe(room, afterSeq, epoch)</c>. <paramref name="LastSeq"/> is the seq the
/// subscription is at when the answer arrives. <paramref name="Reason"/> says why a subscribe with a position was not
/// recovered (<c>"epochChanged"</c>, <c>"trimmed"</c>, <c>"tooMany"</c>); null when recovered, when subscribed from
/// now, or from a server that does not send it yet.
/// </summary>
public sealed record SubscribeReply(string Room, string Epoch, long LastSeq, bool Recovered, int Replayed, string? Reason = null);
