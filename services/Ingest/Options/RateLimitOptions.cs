using System.ComponentModel.DataAnnotations;

namespace Fanout.Ingest.Options;

/// <summary>
/// The rate limit of a key that sets none of its own (<c>Ingest:RateLimit</c>). Every key has its own token bucket:
/// it holds <see cref="Burst"/> requests and refills at <see cref="RequestsPerSecond"/>; every request counts as one,
/// a batch or broadcast included. Over the limit a request is answered 429 with <c>Retry-After</c>.
/// </summary>
public sealed class RateLimitOptions
{
    public const int MaxRequestsPerSecond = 1_000_000;
    public const int MaxBurst = 1_000_000;

    /// <summary>Requests per second a key may send on average; <c>0</c> is unlimited.</summary>
    [Range(0, MaxRequestsPerSecond)]
    public int RequestsPerSecond { get; set; } = 1000;

    /// <summary>Requests a key may send at once (the bucket's size), at least 1.</summary>
    [Range(1, MaxBurst)]
    public int Burst { get; set; } = 2000;
}
