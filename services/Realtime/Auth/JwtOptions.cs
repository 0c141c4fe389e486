namespace Fanout.Realtime.Auth;

/// <summary>
/// How client access tokens are checked. Clients present a JWT whose <c>sub</c> claim is the user id, issued by the
/// application that owns the users: signed with HS256 and the shared <see cref="SigningKey"/>, or with RS256 / ES256
/// and a private key whose public half is in <see cref="PublicKeys"/> or published by an identity provider
/// (<see cref="Authority"/>, <see cref="JwksUrl"/>). The algorithms accepted are those of the keys configured (an
/// identity provider's: RS256 and ES256), nothing else.
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
    /// unless <see cref="PublicKeys"/>, <see cref="Authority"/> or <see cref="JwksUrl"/> are given; unset, HS256 tokens
    /// are refused.
    /// </summary>
    public string SigningKey { get; set; } = "";

    /// <summary>Public keys (RS256 or ES256) of token issuers, <c>Auth:Jwt:PublicKeys:{i}:Key</c> and <c>:KeyId</c>.</summary>
    public List<JwtPublicKeyOptions> PublicKeys { get; set; } = [];

    /// <summary>
    /// An OpenID Connect issuer (identity provider) whose signing keys verify RS256 / ES256 tokens: its keys are read
    /// from <c>{Authority}/.well-known/openid-configuration</c> → <c>jwks_uri</c>, cached and refetched (see
    /// <see cref="KeysRefreshMinutes"/>). Unless <see cref="Issuer"/> is set, a token's <c>iss</c> must then be the
    /// issuer the discovery document names.
    /// </summary>
    public string? Authority { get; set; }

    /// <summary>A JWKS document (<c>{"keys":[…]}</c>) whose RS256 / ES256 keys verify tokens, fetched and cached like
    /// <see cref="Authority"/>'s; for issuers without a discovery document. Not together with <see cref="Authority"/>.</summary>
    public string? JwksUrl { get; set; }

    /// <summary>Whether <see cref="Authority"/> and <see cref="JwksUrl"/> must be https. Default true.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Minutes between fetches of the issuer's keys when nothing asks for new ones (5–1440, default 60).</summary>
    public int KeysRefreshMinutes { get; set; } = 60;

    /// <summary>
    /// Seconds at least between two fetches asked for by a token whose <c>kid</c> is not among the cached keys (a key
    /// rotation; 1–3600, default 60). Such a token is refused; once the keys are fetched, tokens of the new key verify.
    /// </summary>
    public int KeysRefetchCooldownSeconds { get; set; } = 60;

    /// <summary>Whether keys come from an identity provider (<see cref="Authority"/> or <see cref="JwksUrl"/>).</summary>
    public bool HasIssuerKeys => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(JwksUrl);

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
