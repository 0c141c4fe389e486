using Fanout.Ingest.Requests;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Fanout.Ingest.Api;

/// <summary>The API's RFC 7807 answers.</summary>
public static class Problems
{
    public static ProblemHttpResult From(RequestError error) =>
        TypedResults.Problem(
            detail: error.Detail,
            statusCode: error.Status,
            extensions: error.Index is { } index ? new Dictionary<string, object?> { ["index"] = index } : null);

    /// <summary>503 with <c>Retry-After</c>: nothing was accepted, the same request may be sent again.</summary>
    public static ProblemHttpResult Unavailable(HttpResponse response, int retryAfterSeconds, string detail)
    {
        response.Headers.RetryAfter = retryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return TypedResults.Problem(detail: detail, statusCode: StatusCodes.Status503ServiceUnavailable);
    }

    public static ProblemHttpResult HistoryUnavailable(HttpResponse response, int retryAfterSeconds) =>
        Unavailable(response, retryAfterSeconds, "The history store is unavailable right now; retry the same request.");

    public static ProblemHttpResult BrokerUnavailable(HttpResponse response, int retryAfterSeconds) =>
        Unavailable(response, retryAfterSeconds,
            $"The events were not accepted: the event broker is unavailable, or its queue for these rooms is full (events wait to be stored). Retry in {retryAfterSeconds} s " +
            "(with the same idempotency keys, a retry cannot store an event twice).");
}
