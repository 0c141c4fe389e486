using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;

namespace Fanout.WebConsole;

/// <summary>
/// Development only: client tokens for the demo page, so that a developer trying Fanout needs nothing but a browser.
/// On only in the Development environment and when this process has the nodes' HS256 key (<c>Auth:Jwt:SigningKey</c>,
/// the public development key in <c>scripts/stack.sh</c>); elsewhere <c>POST /demo/token</c> answers 404. The tokens
/// may use only the rooms <see cref="RoomPattern"/> and last <see cref="Lifetime"/>.
/// </summary>
public sealed class DemoTokenIssuer
{
    public const string RoomPattern = "demo:*";
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(1);

    private readonly byte[]? _key;
    private readonly string? _issuer;
    private readonly string? _audience;
    private readonly TimeProvider _time;

    public DemoTokenIssuer(IHostEnvironment environment, IConfiguration configuration, TimeProvider time)
    {
        var key = configuration["Auth:Jwt:SigningKey"];
        if (environment.IsDevelopment() && key is not null && Encoding.UTF8.GetByteCount(key) >= 32)
        {
            _key = Encoding.UTF8.GetBytes(key);
        }

        _issuer = NullIfEmpty(configuration["Auth:Jwt:Issuer"]);
        _audience = NullIfEmpty(configuration["Auth:Jwt:Audience"]);
        _time = time;
    }

    /// <summary>Whether tokens are minted: the Development environment with a signing key.</summary>
    public bool Enabled => _key is not null;

    /// <summary>An HS256 token for a new user id with the display <paramref name="name"/>, allowed <see cref="RoomPattern"/>.</summary>
    public DemoToken Issue(string name)
    {
        if (_key is null)
        {
            throw new InvalidOperationException("Demo tokens are off outside the Development environment.");
        }

        var now = _time.GetUtcNow();
        var userId = $"demo-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(5))}";
        var claims = new Dictionary<string, object>
        {
            ["sub"] = userId,
            ["name"] = name,
            ["iat"] = now.ToUnixTimeSeconds(),
            ["exp"] = (now + Lifetime).ToUnixTimeSeconds(),
            ["rooms"] = new[] { RoomPattern },
        };
        if (_issuer is not null)
        {
            claims["iss"] = _issuer;
        }

        if (_audience is not null)
        {
            claims["aud"] = _audience;
        }

        var header = Base64Url("""{"alg":"HS256","typ":"JWT"}"""u8);
        var payload = Base64Url(JsonSerializer.SerializeToUtf8Bytes(claims));
        var signature = Base64Url(HMACSHA256.HashData(_key, Encoding.ASCII.GetBytes($"{header}.{payload}")));
        return new DemoToken($"{header}.{payload}.{signature}", userId, name, [RoomPattern], now + Lifetime);
    }

    private static string Base64Url(ReadOnlySpan<byte> bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}

/// <summary>The answer of <c>POST /demo/token</c>.</summary>
public sealed record DemoToken(string Token, string UserId, string Name, string[] Rooms, DateTimeOffset ExpiresAt);
