using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Auth;

/// <summary>A hub connection's user id (<c>Context.UserIdentifier</c>, <c>Clients.User(id)</c>) is its token's <c>sub</c>.</summary>
public sealed class SubjectUserIdProvider : IUserIdProvider
{
    public string? GetUserId(HubConnectionContext connection) =>
        connection.User.FindFirst(RealtimeAuthenticationDefaults.SubjectClaim)?.Value;
}
