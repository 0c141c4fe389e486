using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Fanout.Embedded.Development;

/// <summary>A client token for trying Fanout out: HS256 with the configured (development) signing key, every room.</summary>
public static class DevelopmentToken
{
    public static string Create(string signingKey, string subject, TimeSpan lifetime, DateTimeOffset now)
    {
        var header = Encode(JsonSerializer.SerializeToUtf8Bytes(new { alg = "HS256", typ = "JWT" }));
        var payload = Encode(JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["sub"] = subject,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + lifetime).ToUnixTimeSeconds(),
            ["rooms"] = new[] { "*" },
        }));
        var signature = Encode(HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return $"{header}.{payload}.{signature}";
    }

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
