namespace Fanout.Realtime.Auth;

/// <summary>
/// How client access tokens are checked. Clients present an HS256-signed JWT whose <c>sub</c> claim is the user id;
/// it is issued by the application that owns the users, with the same shared key.
/// </summary>
public sealed class JwtOptions
{
    public const string SectionName = "Auth:Jwt";

    /// <summary>The smallest signing key accepted, in bytes of UTF-8 (HS256 needs a 256-bit key).</summary>
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>The largest clock skew accepted, in seconds.</summary>
    public const int MaximumClockSkewSeconds = 300;

    /// <summary>The HS256 key shared with the token issuer, as text (its UTF-8 bytes are the key). Required, at least 32 bytes.</summary>
    public string SigningKey { get; set; } = "";

    /// <summary>When set, a token's <c>iss</c> must equal it. Unset (or empty): <c>iss</c> is not checked.</summary>
    public string? Issuer { get; set; }

    /// <summary>When set, a token's <c>aud</c> must contain it. Unset (or empty): <c>aud</c> is not checked.</summary>
    public string? Audience { get; set; }

    /// <summary>Seconds of clock difference tolerated when checking <c>exp</c> and <c>nbf</c> (0–300).</summary>
    public int ClockSkewSeconds { get; set; } = 30;
}
