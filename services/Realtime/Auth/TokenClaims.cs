using System.Security.Claims;
using Fanout.Realtime.Presence;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Auth;

/// <summary>
/// The claims a connection keeps from its access token: those something on the node reads, and no others, since an
/// open connection holds its principal for as long as it lasts. Kept: <c>sub</c> (the user id, read by
/// <see cref="SubjectUserIdProvider"/> and <see cref="RoomPermissions"/>), <c>exp</c> (<see cref="TokenExpiryWatch"/>),
/// the room-permission claims (<see cref="RoomPermissionsOptions"/>) and the display-name claim of presence
/// (<see cref="NodePresenceOptions.NameClaim"/>). Every other claim (<c>iat</c>, <c>nbf</c>, <c>iss</c>, <c>aud</c>,
/// <c>jti</c>, …) has done its part once the token is validated and is dropped; code that comes to read another claim
/// adds it here. A kept claim has its value and value type, a claim type name that is one string per node rather than
/// one per connection, and the default issuer (the token's issuer was checked during validation).
/// </summary>
public sealed class TokenClaims
{
    private readonly HashSet<string> _kept;

    public TokenClaims(IOptions<RoomPermissionsOptions> permissions, IOptions<NodePresenceOptions> presence)
    {
        var rooms = permissions.Value;
        string[] types =
        [
            RealtimeAuthenticationDefaults.SubjectClaim, RealtimeAuthenticationDefaults.ExpiresClaim,
            rooms.SubscribeClaim, rooms.PublishClaim, rooms.RoomsClaim, presence.Value.NameClaim,
        ];
        _kept = new HashSet<string>(types.Where(type => !string.IsNullOrEmpty(type)), StringComparer.Ordinal);
    }

    /// <summary>
    /// A principal with an identity of the same authentication type, name and role claim types as
    /// <paramref name="validated"/>, holding only its kept claims, in their order.
    /// </summary>
    public ClaimsPrincipal Keep(ClaimsIdentity validated)
    {
        var identity = new ClaimsIdentity(validated.AuthenticationType, validated.NameClaimType, validated.RoleClaimType);
        foreach (var claim in validated.Claims)
        {
            if (_kept.TryGetValue(claim.Type, out var type))
            {
                // Made with its subject set, the claim is added as is rather than copied.
                identity.AddClaim(new Claim(type, claim.Value, string.IsInterned(claim.ValueType) ?? claim.ValueType,
                    ClaimsIdentity.DefaultIssuer, ClaimsIdentity.DefaultIssuer, identity));
            }
        }

        return new ClaimsPrincipal(identity);
    }
}
