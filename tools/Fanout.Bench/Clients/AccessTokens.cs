using System.Security.Cryptography;
using System.Text;

namespace Fanout.Bench.Clients;

/// <summary>Client access tokens as a realtime node expects them: HS256 JWTs with <c>sub</c>, valid for a day.</summary>
public static class AccessTokens
{
    public static string Create(string sub, string signingKey)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url(Encoding.UTF8.GetBytes($$"""{"sub":"{{sub}}","iat":{{now - 60}},"nbf":{{now - 60}},"exp":{{now + 86_400}},"rooms":["*"]}"""));
        var signature = HMACSHA256.HashData(Encoding.UTF8.GetBytes(signingKey), Encoding.ASCII.GetBytes($"{header}.{payload}"));
        return $"{header}.{payload}.{Base64Url(signature)}";
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
