using System.Globalization;
using System.Threading.RateLimiting;
using Fanout.Ingest.Submission;
using Microsoft.AspNetCore.RateLimiting;

namespace Fanout.Ingest.Auth;

/// <summary>
/// One token bucket per API key (<see cref="ApiKeyLimit"/>): it holds <c>Burst</c> requests and refills at
/// <c>RequestsPerSecond</c>. Every authenticated request takes one token whatever its route, a batch or broadcast
/// included; it runs after authentication (a request without a valid key is a 401 first) and before the body is read.
/// An empty bucket answers 429 with <c>Retry-After</c>; one key's flood never touches another key's bucket.
/// </summary>
public static class ApiKeyRateLimiter
{
    private static readonly ApiKeyLimit NoKey = new(string.Empty, 0, 0);

    public static PartitionedRateLimiter<HttpContext> Create() =>
        PartitionedRateLimiter.Create<HttpContext, ApiKeyLimit>(context =>
        {
            var limit = context.GetApiKey()?.Limit;
            return limit is null || limit.IsUnlimited
                ? RateLimitPartition.GetNoLimiter(limit ?? NoKey)
                : RateLimitPartition.GetTokenBucketLimiter(limit, l => new TokenBucketRateLimiterOptions
                {
                    TokenLimit = l.Burst,
                    TokensPerPeriod = l.RequestsPerSecond,
                    ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                    QueueLimit = 0,
                });
        });

    /// <summary>The 429: a problem naming the limit, and <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var http = rejected.HttpContext;
        var wait = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var limit = http.GetApiKey()?.Limit ?? NoKey;
        http.RequestServices.GetRequiredService<IngestMetrics>().Throttled(limit.KeyName);
        IngestLog.RateLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyRateLimiter)), limit.KeyName);
        await TypedResults.Problem(
                $"This API key is over its rate limit of {limit.RequestsPerSecond} requests per second (bursts of {limit.Burst}); " +
                $"nothing of this request was done. Retry in {seconds} s.",
                statusCode: StatusCodes.Status429TooManyRequests)
            .ExecuteAsync(http);
    }
}
