namespace Fanout.Bench.Clients;

/// <summary>
/// The bench's event data: <c>t</c> = send time on <see cref="Metrics.BenchClock"/> (ms), <c>k</c> = event counter
/// (event k goes to room k % rooms), <c>p</c> = phase (1 warm-up, 2… measured).
/// </summary>
public sealed record BenchPayload(double T, long K, int P);
