namespace Fanout.Realtime.Auth;

/// <summary>
/// One public key of a token issuer that signs with RS256 (an RSA key, at least 2048 bits) or ES256 (an EC key on
/// P-256), under <c>Auth:Jwt:PublicKeys:{i}</c>. The key's type decides the one algorithm it verifies.
/// </summary>
public sealed class JwtPublicKeyOptions
{
    /// <summary>The key as PEM text (<c>-----BEGIN PUBLIC KEY-----</c> …) or the path of a file holding it.</summary>
    public string Key { get; set; } = "";

    /// <summary>
    /// Optional key id. A token whose header names a <c>kid</c> is checked only against keys with that id and keys
    /// without one; a token without <c>kid</c> against every key of its algorithm.
    /// </summary>
    public string? KeyId { get; set; }
}
