using System.Globalization;
using System.Threading.RateLimiting;
using Fanout.Ingest.Submission;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Fanout.Ingest.Auth;

/// <summary>
/// One token bucket per API key (<see cref="ApiKeyLimit"/>): it holds <c>Burst</c> tokens and refills at
/// <c>RequestsPerSecond</c>. Every authenticated request takes one token whatever its route (a batch too); it runs after
/// authentication (a request without a valid key is a 401 first) and before the body is read. A broadcast then takes
/// one more token per room beyond the first (<see cref="ChargeRooms"/>), at most the key's <c>Burst</c> in all. An
/// empty bucket answers 429 with <c>Retry-After</c>; one key's flood never touches another key's bucket.
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

    /// <summary>
    /// Charges a broadcast to <paramref name="rooms"/> rooms: the request took one token, this takes the others, up to the
    /// key's <c>Burst</c> in all (so a key with a small burst can still broadcast, at the cost of its whole bucket). Null
    /// when they were taken; otherwise the 429 (nothing of the request is done).
    /// </summary>
    public static ProblemHttpResult? ChargeRooms(HttpContext context, int rooms)
    {
        var limit = context.GetApiKey()?.Limit;
        if (limit is null || limit.IsUnlimited)
        {
            return null;
        }

        var extra = Math.Min(rooms, limit.Burst) - 1;
        if (extra <= 0)
        {
            return null;
        }

        var limiter = context.RequestServices.GetRequiredService<IOptions<RateLimiterOptions>>().Value.GlobalLimiter!;
        using var lease = limiter.AttemptAcquire(context, extra);
        return lease.IsAcquired ? null : Reject(context, lease, $"A broadcast to {rooms} rooms takes {extra + 1} tokens; ");
    }

    /// <summary>The 429: a problem naming the limit, and <c>Retry-After</c> in whole seconds (at least 1).</summary>
    public static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken) =>
        await Reject(rejected.HttpContext, rejected.Lease, string.Empty).ExecuteAsync(rejected.HttpContext);

    private static ProblemHttpResult Reject(HttpContext http, RateLimitLease lease, string cost)
    {
        var wait = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? retryAfter : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);

        var limit = http.GetApiKey()?.Limit ?? NoKey;
        http.RequestServices.GetRequiredService<IngestMetrics>().Throttled(limit.KeyName);
        IngestLog.RateLimited(http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ApiKeyRateLimiter)), limit.KeyName);
        return TypedResults.Problem(
            $"{cost}This API key is over its rate limit of {limit.RequestsPerSecond} requests per second (bursts of {limit.Burst}); " +
            $"nothing of this request was done. Retry in {seconds} s.",
            statusCode: StatusCodes.Status429TooManyRequests);
    }
}
