using System.Security.Cryptography;
using System.Text;
using Fanout.Ingest.Options;

namespace Fanout.Ingest.Auth;

/// <summary>
/// Keys are stored and compared as SHA-256 hashes of their UTF-8 bytes. Keys are long random secrets, so a fast
/// hash is enough (nothing to brute-force); <c>printf %s "$KEY" | sha256sum</c> gives the same hex digits.
/// </summary>
public static class ApiKeyHash
{
    public const string Prefix = "sha256:";

    public static byte[] Of(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));

    /// <summary>The hash of a valid key entry: its <c>Hash</c>, or the hash of its plain <c>Key</c>.</summary>
    public static byte[] Of(ApiKeyOptions entry) =>
        entry.Hash is { Length: > 0 } configured && TryParse(configured, out var hash) ? hash : Of(entry.Key ?? string.Empty);

    /// <summary>Reads 64 hex digits (either case), optionally prefixed <c>sha256:</c>.</summary>
    public static bool TryParse(string configured, out byte[] hash)
    {
        var hex = configured.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase) ? configured[Prefix.Length..] : configured;
        hash = [];
        if (hex.Length != SHA256.HashSizeInBytes * 2 || !hex.All(char.IsAsciiHexDigit))
        {
            return false;
        }

        hash = Convert.FromHexString(hex);
        return true;
    }
}
