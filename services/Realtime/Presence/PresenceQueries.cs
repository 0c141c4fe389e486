using Fanout.Contracts.Wire;
using Fanout.PresenceStore;
using Fanout.Realtime.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Fanout.Realtime.Presence;

/// <summary>The hub's <c>Presence</c> and <c>PresenceStats</c>: for connections subscribed to the room, read from the store.</summary>
public sealed class PresenceQueries(NodePresenceTracker tracker, IPresenceStore store, ILogger<PresenceQueries> logger)
{
    public async Task<RoomPresenceResponse> MembersAsync(string method, string connectionId, string room, CancellationToken cancellationToken)
    {
        RequireSubscribed(method, connectionId, room);
        var members = await ReadAsync(method, room, () => store.GetMembersAsync(room, cancellationToken));
        return new RoomPresenceResponse(room, members.Count,
            members.Select(m => new PresenceMemberResponse(m.UserId, m.Connections, m.JoinedAt, m.Name)).ToList());
    }

    public async Task<RoomPresenceStatsResponse> StatsAsync(string method, string connectionId, string room, CancellationToken cancellationToken)
    {
        RequireSubscribed(method, connectionId, room);
        var stats = await ReadAsync(method, room, () => store.GetStatsAsync(room, cancellationToken));
        return new RoomPresenceStatsResponse(room, stats.Users, stats.Connections);
    }

    private void RequireSubscribed(string method, string connectionId, string room)
    {
        if (!tracker.Holds(connectionId, room))
        {
            throw HubErrors.Create(HubErrors.NotSubscribed, $"{method}: subscribe to room '{room}' first; presence is for the room's subscribers");
        }
    }

    private async Task<T> ReadAsync<T>(string method, string room, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            RealtimeLog.PresenceUnavailable(logger, ex, tracker.NodeId);
            throw HubErrors.Create(HubErrors.Unavailable, $"{method}: presence is unavailable right now; retry shortly");
        }
    }
}
