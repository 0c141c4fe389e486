using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;

namespace Fanout.ServiceDefaults.Security;

/// <summary>
/// The settings a process must not run with outside the Development environment: the public development API key
/// (<c>appsettings.Development.json</c>, <c>scripts/stack.sh</c>, the compose file's default hash) or signing key, a
/// signing key shorter than HS256 needs, or no API key at all. Each check answers one sentence naming the setting and
/// what to do, or null.
/// </summary>
public static class InsecureSettings
{
    /// <summary>The API key of the development settings; public, in the repository.</summary>
    public const string DevelopmentApiKey = "dev-api-key-change-me";

    /// <summary>The HS256 signing key of the development settings; public, in the repository.</summary>
    public const string DevelopmentSigningKey = "fanout-dev-signing-key-change-me-0123456789";

    /// <summary>Fewest bytes (UTF-8) of an HS256 signing key.</summary>
    public const int MinimumSigningKeyBytes = 32;

    private const string ApiKeysSection = "Ingest:ApiKeys";
    private const string SigningKeySetting = "Auth:Jwt:SigningKey";

    private static readonly string DevelopmentApiKeyHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DevelopmentApiKey)));

    /// <summary>The refusal for <c>Ingest:ApiKeys</c>: none configured, or one of them the development key (plain or hashed).</summary>
    public static string? CheckApiKeys(IConfiguration configuration)
    {
        var keys = configuration.GetSection(ApiKeysSection).GetChildren().ToList();
        if (keys.Count == 0)
        {
            return $"no API key is configured ({ApiKeysSection}): give at least one, as the SHA-256 of a key of your own " +
                "(scripts/hash-api-key.sh makes one), e.g. Ingest__ApiKeys__0__Name and Ingest__ApiKeys__0__Hash.";
        }

        foreach (var key in keys)
        {
            var hash = key["Hash"]?.Trim();
            if (hash is not null && hash.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
            {
                hash = hash["sha256:".Length..];
            }

            if (key["Key"] == DevelopmentApiKey || string.Equals(hash, DevelopmentApiKeyHash, StringComparison.OrdinalIgnoreCase))
            {
                return $"{ApiKeysSection}:{key.Key} is the public development API key ('{DevelopmentApiKey}', whose hash the " +
                    "compose file defaults to); outside the Development environment use a key of your own (scripts/hash-api-key.sh).";
            }
        }

        return null;
    }

    /// <summary>The refusal for <c>Auth:Jwt:SigningKey</c> when it is set: the development key, or shorter than HS256 needs.</summary>
    public static string? CheckSigningKey(IConfiguration configuration)
    {
        var signingKey = configuration[SigningKeySetting];
        if (string.IsNullOrEmpty(signingKey))
        {
            return null;
        }

        if (signingKey == DevelopmentSigningKey)
        {
            return $"{SigningKeySetting} is the public development signing key; outside the Development environment anyone " +
                $"could sign client tokens with it: use a random key of at least {MinimumSigningKeyBytes} bytes of your own " +
                "(e.g. openssl rand -base64 48), shared with your token issuer.";
        }

        var bytes = Encoding.UTF8.GetByteCount(signingKey);
        return bytes < MinimumSigningKeyBytes
            ? $"{SigningKeySetting} is {bytes} bytes of UTF-8; HS256 needs at least {MinimumSigningKeyBytes} (e.g. openssl rand -base64 48)."
            : null;
    }
}
