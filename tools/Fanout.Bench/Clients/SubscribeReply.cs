namespace Fanout.Bench.Clients;

/// <summary>The answer of the hub's <c>Subscribe</c>.</summary>
public sealed record SubscribeReply(string Room, string? Epoch, long LastSeq, bool Recovered, int Replayed);
