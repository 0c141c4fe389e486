using System.Security.Claims;
using System.Text;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Fanout.Testing.SignalR;

/// <summary>Client access tokens as a realtime node expects them: HS256 JWTs whose <c>sub</c> is the user id.</summary>
public static class TestTokens
{
    /// <summary>
    /// A token for <paramref name="sub"/> signed with <paramref name="signingKey"/> (its UTF-8 bytes), valid from now for
    /// <paramref name="lifetime"/> (default one hour). A negative lifetime gives a token that expired that long ago.
    /// With <paramref name="name"/>, the token carries it as the <c>name</c> claim (the user's display name).
    /// </summary>
    public static string Create(string sub, string signingKey, TimeSpan? lifetime = null, string? issuer = null, string? audience = null,
        string? name = null)
    {
        var now = DateTime.UtcNow;
        var expires = now + (lifetime ?? TimeSpan.FromHours(1));
        var notBefore = expires > now ? now : expires - TimeSpan.FromMinutes(5);
        var descriptor = new SecurityTokenDescriptor
        {
            Subject = new ClaimsIdentity(name is null ? [new Claim("sub", sub)] : [new Claim("sub", sub), new Claim("name", name)]),
            IssuedAt = notBefore,
            NotBefore = notBefore,
            Expires = expires,
            Issuer = issuer,
            Audience = audience,
            SigningCredentials = new SigningCredentials(
                new SymmetricSecurityKey(Encoding.UTF8.GetBytes(signingKey)), SecurityAlgorithms.HmacSha256),
        };
        return new JsonWebTokenHandler().CreateToken(descriptor);
    }
}
