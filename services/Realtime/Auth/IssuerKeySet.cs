using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Realtime.Auth;

/// <summary>An identity provider's usable keys, each bound to its one algorithm, and the issuer it names (if any).</summary>
public sealed class IssuerKeySet
{
    public static readonly IssuerKeySet Empty = new([], null);

    private readonly IReadOnlyList<(string Algorithm, JsonWebKey Key)> _keys;

    private IssuerKeySet(IReadOnlyList<(string Algorithm, JsonWebKey Key)> keys, string? issuer)
    {
        _keys = keys;
        Issuer = issuer;
    }

    /// <summary>The <c>issuer</c> of the discovery document; null for a bare JWKS.</summary>
    public string? Issuer { get; }

    public int Count => _keys.Count;

    public static IssuerKeySet From(OpenIdConnectConfiguration configuration)
    {
        var keys = new List<(string, JsonWebKey)>();
        foreach (var key in configuration.JsonWebKeySet?.Keys ?? [])
        {
            if (AlgorithmOf(key) is { } algorithm)
            {
                keys.Add((algorithm, key));
            }
        }

        return new IssuerKeySet(keys, string.IsNullOrWhiteSpace(configuration.Issuer) ? null : configuration.Issuer);
    }

    /// <summary>The keys for a token with header <paramref name="algorithm"/> and <paramref name="keyId"/>.</summary>
    public IEnumerable<SecurityKey> For(string? algorithm, string? keyId) => _keys
        .Where(k => string.Equals(k.Algorithm, algorithm, StringComparison.Ordinal)
            && (string.IsNullOrEmpty(keyId) || string.IsNullOrEmpty(k.Key.Kid) || string.Equals(k.Key.Kid, keyId, StringComparison.Ordinal)))
        .Select(k => (SecurityKey)k.Key);

    /// <summary>Whether a key with this id is cached.</summary>
    public bool HasKeyId(string keyId) => _keys.Any(k => string.Equals(k.Key.Kid, keyId, StringComparison.Ordinal));

    private static string? AlgorithmOf(JsonWebKey key)
    {
        if (!string.IsNullOrEmpty(key.Use) && key.Use != JsonWebKeyUseNames.Sig)
        {
            return null;
        }

        var algorithm = key.Kty switch
        {
            JsonWebAlgorithmsKeyTypes.RSA when key.KeySize >= JwtSigningKeys.MinimumRsaKeyBits => SecurityAlgorithms.RsaSha256,
            JsonWebAlgorithmsKeyTypes.EllipticCurve when key.Crv == JsonWebKeyECTypes.P256 => SecurityAlgorithms.EcdsaSha256,
            _ => null,
        };
        return algorithm is not null && (string.IsNullOrEmpty(key.Alg) || key.Alg == algorithm) ? algorithm : null;
    }
}
