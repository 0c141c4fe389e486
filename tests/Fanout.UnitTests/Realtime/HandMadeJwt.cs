using System.Security.Cryptography;
using System.Text;

namespace Fanout.UnitTests.Realtime;

/// <summary>Compact JWS built by hand, so tests can make tokens that no well-behaved library would.</summary>
public static class HandMadeJwt
{
    public static string Create(string headerJson, string payloadJson, string? key, string hmac = "HS256")
    {
        var signingInput = $"{Encode(Encoding.UTF8.GetBytes(headerJson))}.{Encode(Encoding.UTF8.GetBytes(payloadJson))}";
        if (key is null)
        {
            return signingInput + ".";
        }

        var keyBytes = Encoding.UTF8.GetBytes(key);
        var input = Encoding.ASCII.GetBytes(signingInput);
        var signature = hmac switch
        {
            "HS256" => HMACSHA256.HashData(keyBytes, input),
            "HS384" => HMACSHA384.HashData(keyBytes, input),
            "HS512" => HMACSHA512.HashData(keyBytes, input),
            _ => throw new ArgumentOutOfRangeException(nameof(hmac), hmac, "HS256, HS384 or HS512"),
        };
        return $"{signingInput}.{Encode(signature)}";
    }

    public static long Seconds(TimeSpan fromNow) => DateTimeOffset.UtcNow.Add(fromNow).ToUnixTimeSeconds();

    private static string Encode(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
