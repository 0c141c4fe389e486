using System.Globalization;

namespace Fanout.Ingest.Requests;

/// <summary>
/// Query of <c>GET /v1/rooms/{room}/events</c>: <c>after</c> (integer ≥ 0, default 0) and <c>limit</c>
/// (1–1000, default 100). A malformed, repeated or out-of-range value is refused, never clamped.
/// Other parameters are ignored.
/// </summary>
public static class HistoryQuery
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;

    public static RequestError? Parse(IQueryCollection query, out long after, out int limit)
    {
        after = 0;
        limit = DefaultLimit;
        var afterValues = query["after"];
        var limitValues = query["limit"];
        if (afterValues.Count > 1 || limitValues.Count > 1)
        {
            return RequestError.BadRequest($"{(afterValues.Count > 1 ? "after" : "limit")} must appear at most once in the query");
        }

        if (afterValues.Count == 1 && !long.TryParse(afterValues[0], NumberStyles.None, CultureInfo.InvariantCulture, out after))
        {
            return RequestError.BadRequest($"after must be an integer from 0 to {long.MaxValue} (the last seq you have; 0 for the start)");
        }

        if (limitValues.Count == 1
            && (!int.TryParse(limitValues[0], NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit is < 1 or > MaxLimit))
        {
            return RequestError.BadRequest($"limit must be an integer from 1 to {MaxLimit} (default {DefaultLimit})");
        }

        return null;
    }
}
