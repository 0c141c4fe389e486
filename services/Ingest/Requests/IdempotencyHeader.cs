using Fanout.Contracts.Validation;

namespace Fanout.Ingest.Requests;

/// <summary>The optional <c>Idempotency-Key</c> request header (at most once, 1–128 printable ASCII).</summary>
public static class IdempotencyHeader
{
    public const string Name = "Idempotency-Key";

    public static RequestError? Read(HttpRequest request, out string? key)
    {
        key = null;
        var values = request.Headers[Name];
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            return RequestError.BadRequest($"{Name} must appear at most once");
        }

        var error = IdempotencyKey.Validate(values[0]);
        if (error is not null)
        {
            return RequestError.BadRequest($"{Name} header: {error}");
        }

        key = values[0];
        return null;
    }

    /// <summary>For routes whose events carry no header key (batch items have their own; broadcasts get fresh ids).</summary>
    public static RequestError? RefuseOn(HttpRequest request, string instead) =>
        request.Headers.ContainsKey(Name) ? RequestError.BadRequest($"{Name} is not used on this route; {instead}") : null;
}
