using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Realtime.Auth;

/// <summary>
/// The keys that verify client tokens, each bound to the one algorithm its type allows: the shared key to HS256, RSA
/// public keys to RS256, P-256 public keys to ES256. Keys are chosen by the token's <c>alg</c> (and <c>kid</c>), so a
/// public key can never serve as an HMAC secret (algorithm confusion) and <c>none</c> matches no key.
/// </summary>
public sealed class JwtSigningKeys
{
    /// <summary>The smallest RSA key accepted, in bits.</summary>
    public const int MinimumRsaKeyBits = 2048;

    private readonly List<(string Algorithm, SecurityKey Key, string? KeyId)> _keys = [];

    public JwtSigningKeys(JwtOptions options)
    {
        if (!string.IsNullOrEmpty(options.SigningKey))
        {
            _keys.Add((SecurityAlgorithms.HmacSha256, new SymmetricSecurityKey(Encoding.UTF8.GetBytes(options.SigningKey)), null));
        }

        for (var i = 0; i < options.PublicKeys.Count; i++)
        {
            var entry = options.PublicKeys[i];
            var (algorithm, key, error) = Load(entry);
            if (error is not null)
            {
                throw new InvalidOperationException($"{JwtOptions.SectionName}:PublicKeys:{i}:Key: {error}");
            }

            var keyId = string.IsNullOrWhiteSpace(entry.KeyId) ? null : entry.KeyId;
            key!.KeyId = keyId;
            _keys.Add((algorithm!, key, keyId));
        }

        Algorithms = [.. _keys.Select(k => k.Algorithm).Distinct().Order(StringComparer.Ordinal)];
    }

    /// <summary>The algorithms a token may use: those of the configured keys (ES256, HS256, RS256), in ordinal order.</summary>
    public IReadOnlyList<string> Algorithms { get; }

    /// <summary>The keys to verify a token with header <paramref name="algorithm"/> and <paramref name="keyId"/>.</summary>
    public IEnumerable<SecurityKey> For(string? algorithm, string? keyId)
    {
        var candidates = _keys.Where(k => string.Equals(k.Algorithm, algorithm, StringComparison.Ordinal)).ToList();
        if (!string.IsNullOrEmpty(keyId))
        {
            candidates = [.. candidates.Where(k => k.KeyId is null || string.Equals(k.KeyId, keyId, StringComparison.Ordinal))];
        }

        return candidates.Select(k => k.Key);
    }

    /// <summary>Reads one public key: its algorithm and key, or a message saying what is wrong.</summary>
    public static (string? Algorithm, SecurityKey? Key, string? Error) Load(JwtPublicKeyOptions options)
    {
        if (string.IsNullOrWhiteSpace(options.Key))
        {
            return (null, null, "is empty; give a PEM public key (RSA or EC P-256) or the path of a file holding one");
        }

        string pem;
        if (options.Key.Contains("-----BEGIN", StringComparison.Ordinal))
        {
            pem = options.Key;
        }
        else
        {
            try
            {
                pem = File.ReadAllText(options.Key);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
            {
                return (null, null, $"is neither PEM text nor a readable file ({ex.GetType().Name}: {ex.Message})");
            }
        }

        if (pem.Contains("PRIVATE KEY", StringComparison.Ordinal))
        {
            return (null, null, "holds a private key; give the public key only");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportFromPem(pem);
            if (rsa.KeySize is var bits && bits < MinimumRsaKeyBits)
            {
                rsa.Dispose();
                return (null, null, $"is an RSA key of {bits} bits; at least {MinimumRsaKeyBits} are needed");
            }

            return (SecurityAlgorithms.RsaSha256, new RsaSecurityKey(rsa), null);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            rsa.Dispose();
        }

        var ec = ECDsa.Create();
        try
        {
            ec.ImportFromPem(pem);
            var curve = ec.ExportParameters(includePrivateParameters: false).Curve;
            if (curve.Oid?.Value != ECCurve.NamedCurves.nistP256.Oid.Value)
            {
                ec.Dispose();
                return (null, null, "is an EC key on a curve other than P-256; ES256 needs P-256");
            }

            return (SecurityAlgorithms.EcdsaSha256, new ECDsaSecurityKey(ec), null);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            ec.Dispose();
            return (null, null, "is not a PEM public key of RSA or EC P-256");
        }
    }
}
