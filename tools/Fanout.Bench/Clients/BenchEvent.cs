namespace Fanout.Bench.Clients;

/// <summary>The hub's <c>event</c> message, as far as the bench reads it (id, type and publishedAt are ignored).</summary>
public sealed record BenchEvent(string Room, long Seq, string? Epoch, BenchPayload? Data);
