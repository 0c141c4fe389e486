using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Testing.SignalR;

/// <summary>
/// Client access tokens as a realtime node expects them: JWTs whose <c>sub</c> is the user id. Unless told otherwise
/// they carry <c>rooms: ["*"]</c>, the permission to subscribe and publish to every room.
/// </summary>
public static class TestTokens
{
    /// <summary>The permission claims of a token allowed every room.</summary>
    public static IReadOnlyDictionary<string, object> AllRooms { get; } = new Dictionary<string, object> { ["rooms"] = new[] { "*" } };

    /// <summary>
    /// A token for <paramref name="sub"/> signed with <paramref name="signingKey"/> (its UTF-8 bytes, HS256), valid from now
    /// for <paramref name="lifetime"/> (default one hour). A negative lifetime gives a token that expired that long ago.
    /// With <paramref name="name"/>, the token carries it as the <c>name</c> claim (the user's display name).
    /// <paramref name="claims"/> replace the default permission claims (<see cref="AllRooms"/>); empty: none.
    /// </summary>
    public static string Create(string sub, string signingKey, TimeSpan? lifetime = null, string? issuer = null, string? audience = null,
        string? name = null, IReadOnlyDictionary<string, object>? claims = null) =>
        Create(sub, new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
            lifetime, issuer, audience, name, claims);

    /// <summary>As the other overload, signed with <paramref name="credentials"/> (e.g. an RSA or EC key with RS256 / ES256).</summary>
    public static string Create(string sub, SigningCredentials credentials, TimeSpan? lifetime = null, string? issuer = null,
        string? audience = null, string? name = null, IReadOnlyDictionary<string, object>? claims = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        var notBefore = expires > now ? now : expires - TimeSpan.FromMinutes(5);
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(name is null ? [new Claim("sub", sub)] : [new Claim("sub", sub), new Claim("name", name)]),
            Claims = new Dictionary<string, object>(claims ?? AllRooms),
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Issuer = issuer,
            Audience = audience,
            SigningCredentials = credentials,
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
