namespace Fanout.Realtime.Auth;

/// <summary>
/// How client access tokens are checked. Clients present a JWT whose <c>sub</c> claim is the user id, issued by the
/// application that owns the users: signed with HS256 and the shared <see cref="SigningKey"/>, or with RS256 / ES256
/// and a private key whose public half is in <see cref="PublicKeys"/>. The algorithms accepted are those of the keys
/// configured, nothing else.
/// </summary>
public sealed class JwtOptions
{
    public const string SectionName = "Auth:Jwt";

    /// <summary>The smallest signing key accepted, in bytes of UTF-8 (HS256 needs a 256-bit key).</summary>
    public const int MinimumSigningKeyBytes = 32;

    /// <summary>The largest clock skew accepted, in seconds.</summary>
    public const int MaximumClockSkewSeconds = 300;

    /// <summary>
    /// The HS256 key shared with the token issuer, as text (its UTF-8 bytes are the key), at least 32 bytes. Required
    /// unless <see cref="PublicKeys"/> are given; unset, HS256 tokens are refused.
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>Public keys (RS256 or ES256) of token issuers, <c>Auth:Jwt:PublicKeys:{i}:Key</c> and <c>:KeyId</c>.</summary>
    public List<JwtPublicKeyOptions> PublicKeys { get; set; } = [];

    /// <summary>When set, a token's <c>iss</c> must equal it. Unset (or empty): <c>iss</c> is not checked.</summary>
    public string? Issuer { get; set; }

    /// <summary>When set, a token's <c>aud</c> must contain it. Unset (or empty): <c>aud</c> is not checked.</summary>
    public string? Audience { get; set; }

    /// <summary>Seconds of clock difference tolerated when checking <c>exp</c> and <c>nbf</c> (0–300).</summary>
    public int ClockSkewSeconds { get; set; } = 30;

    /// <summary>
    /// Whether an open connection is closed when its token expires, with a close message <c>token expired</c> that
    /// allows a reconnect (the client connects again with a fresh token). Default true.
    /// </summary>
    public bool CloseOnExpiry { get; set; } = true;
}
