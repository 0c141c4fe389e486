namespace Fanout.Realtime.Auth;

/// <summary>Names used by client authentication on realtime nodes.</summary>
public static class RealtimeAuthenticationDefaults
{
    /// <summary>The authentication scheme: a JWT in <c>Authorization: Bearer</c> or the <c>access_token</c> query parameter.</summary>
    public const string Scheme = "Bearer";

    /// <summary>The authorization policy that admits any authenticated client (also the default policy).</summary>
    public const string ClientPolicy = "RealtimeClient";

    /// <summary>The query parameter that carries the token where headers cannot be set (browser WebSockets, SSE).</summary>
    public const string AccessTokenQueryParameter = "access_token";

    /// <summary>The JWT claim holding the user id.</summary>
    public const string SubjectClaim = "sub";

    /// <summary>The JWT claim holding the token's expiry, in seconds since the Unix epoch.</summary>
    public const string ExpiresClaim = "exp";

    /// <summary>Longer tokens are refused before any parsing (a JWS of a few claims is well under 1 KiB).</summary>
    public const int MaxTokenLength = 8192;
}
