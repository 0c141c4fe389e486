using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Fanout.Contracts.Validation;
using Fanout.Realtime.Connections;
using Fanout.Realtime.Hubs;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features.Authentication;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.IntegrationTests.Realtime;

/// <summary>
/// A hub with the shapes of the real one (strings, an optional integer, JSON data), for the edge tests. Subscribe and
/// Unsubscribe keep the rooms in the connection's record, as the node's SubscriptionService does (the limits count them).
/// Mapped at the node's hub path behind the node's hub authentication, as the real hub is.
/// </summary>
[SuppressMessage("Performance", "CA1822", Justification = "SignalR calls hub methods on an instance.")]
public sealed class EdgeTestHub(NodeConnections connections) : Hub
{
    /// <summary>The user id, the <c>sub</c> claim, and the types of the claims the connection holds, in ordinal order.</summary>
    public string WhoAmI() =>
        $"{Context.UserIdentifier}|{Context.User?.FindFirst("sub")?.Value}|" +
        string.Join(",", (Context.User?.Claims ?? []).Select(claim => claim.Type).Order(StringComparer.Ordinal));

    public string Echo(string text) => text;

    /// <summary>What the authentication and authorization middleware left on the connection's request, if they ran on it.</summary>
    public string AuthenticationStateOfTheRequest()
    {
        var features = Context.GetHttpContext()!.Features;
        return $"authentication feature: {features.Get<IAuthenticationFeature>() is not null}, " +
            $"authenticate result: {features.Get<IAuthenticateResultFeature>() is not null}, " +
            $"authorization ran: {Context.GetHttpContext()!.Items.ContainsKey("__AuthorizationMiddlewareWithEndpointInvoked")}";
    }

    public string Subscribe(string room, long? afterSeq = null, string? epoch = null)
    {
        HubArguments.Room(nameof(Subscribe), room);
        if (connections.TryGet(Context.ConnectionId, out var connection))
        {
            lock (connection.Rooms)
            {
                connection.Rooms.Set(room, new RoomSubscription(null!));
            }
        }

        return $"{room}|{afterSeq}|{epoch}";
    }

    public string Unsubscribe(string room)
    {
        HubArguments.Room(nameof(Unsubscribe), room);
        if (connections.TryGet(Context.ConnectionId, out var connection))
        {
            lock (connection.Rooms)
            {
                connection.Rooms.Remove(room, out _);
            }
        }

        return room;
    }

    /// <summary>Returns the length of the compact data.</summary>
    public int Publish(string room, string type, JsonElement data)
    {
        HubArguments.Room(nameof(Publish), room);
        HubArguments.Type(nameof(Publish), type);
        return HubArguments.Data(nameof(Publish), data, EventDataRules.Default).GetRawText().Length;
    }
}
