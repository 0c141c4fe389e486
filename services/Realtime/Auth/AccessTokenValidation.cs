using System.Security.Claims;

namespace Fanout.Realtime.Auth;

/// <summary>
/// The outcome of checking one access token: a principal (with <c>sub</c> and the other claims the node reads,
/// <see cref="TokenClaims"/>) and its expiry, or a short reason that is safe to show the client.
/// </summary>
public sealed record AccessTokenValidation(ClaimsPrincipal? Principal, DateTimeOffset? ExpiresUtc, string? Failure)
{
    public bool Succeeded => Principal is not null;

    public static AccessTokenValidation Success(ClaimsPrincipal principal, DateTimeOffset expiresUtc) => new(principal, expiresUtc, null);

    public static AccessTokenValidation Fail(string reason) => new(null, null, reason);
}
