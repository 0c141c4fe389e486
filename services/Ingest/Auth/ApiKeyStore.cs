using System.Security.Cryptography;
using System.Text;
using Fanout.Ingest.Options;
using Microsoft.Extensions.Options;

namespace Fanout.Ingest.Auth;

/// <summary>
/// The configured API keys, kept as SHA-256 hashes. A presented key is hashed and compared with every
/// configured hash in constant time, so neither its length nor its content shows in the response time.
/// </summary>
public sealed class ApiKeyStore
{
    private readonly (string Name, byte[] Hash)[] _keys;

    public ApiKeyStore(IOptions<IngestOptions> options)
    {
        _keys = options.Value.ApiKeys.Select(k => (k.Name, Hash(k.Key))).ToArray();
    }

    /// <summary>The name of the key that matches <paramref name="presented"/>, or null.</summary>
    public string? FindName(string presented)
    {
        var hash = Hash(presented);
        string? match = null;
        foreach (var (name, expected) in _keys)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, expected))
            {
                match ??= name;
            }
        }

        return match;
    }

    private static byte[] Hash(string key) => SHA256.HashData(Encoding.UTF8.GetBytes(key));
}
