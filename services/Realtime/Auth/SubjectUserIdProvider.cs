using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Auth;

/// <summary>
/// A hub connection's user id (<c>Context.UserIdentifier</c>, <c>Clients.User(id)</c>) is its token's <c>sub</c>.
/// SignalR asks once per connection, right after the handshake; that is also where the connection's
/// <see cref="TokenExpiryWatch"/> starts.
/// </summary>
public sealed class SubjectUserIdProvider(TokenExpiryWatch expiry) : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection)
    {
        expiry.Track(connection);
        return connection.User.FindFirst(RealtimeAuthenticationDefaults.SubjectClaim)?.Value;
    }
}
