using Fanout.Ingest.Requests;

namespace Fanout.Ingest.Auth;

/// <summary>
/// The permission check of destructive routes (<c>DELETE /v1/rooms/{room}/events</c>): the request's API key must have
/// <c>Ingest:ApiKeys:{i}:AllowDestructive</c>; otherwise 403, naming the setting. Runs after the room check.
/// </summary>
public static class DestructiveAccess
{
    /// <summary>Null when the key may do destructive operations, else a 403 saying it may not <paramref name="what"/>.</summary>
    public static RequestError? Check(HttpContext context, string what) =>
        context.GetApiKey()?.AllowDestructive == true
            ? null
            : RequestError.Forbidden(
                $"This API key may not {what}: destructive operations need a key with AllowDestructive (Ingest:ApiKeys:{{i}}:AllowDestructive = true).");
}
