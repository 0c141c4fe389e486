using System.Collections.Concurrent;
using Fanout.Contracts.Wire;
using Fanout.Testing;
using Fanout.Testing.SignalR;
using Fanout.Testing.Stack;
using Microsoft.AspNetCore.SignalR.Client;

namespace Fanout.EndToEnd.Tests.Support;

/// <summary>A real SignalR client (over WebSockets) that records every event and presence message it receives, per room.</summary>
public sealed class RecordingClient : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, List<RoomEvent>> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<PresenceMessage>> _presence = new(StringComparer.Ordinal);

    private RecordingClient(HubConnection connection, string userId)
    {
        Connection = connection;
        UserId = userId;
        connection.On<RoomEvent>("event", roomEvent =>
        {
            var list = _received.GetOrAdd(roomEvent.Room, _ => []);
            lock (list)
            {
                list.Add(roomEvent);
            }
        });
        connection.On<PresenceMessage>("presence", message =>
        {
            var list = _presence.GetOrAdd(message.Room, _ => []);
            lock (list)
            {
                list.Add(message);
            }
        });
    }

    public HubConnection Connection { get; }

    public string UserId { get; }

    public static async Task<RecordingClient> ConnectAsync(
        FanoutStack stack, int node, string? userId = null, string? name = null, IReadOnlyDictionary<string, object>? claims = null)
    {
        userId ??= $"user-{Guid.NewGuid():N}"[..13];
        var token = TestTokens.Create(userId, FanoutStack.SigningKey, name: name, claims: claims);
        var connection = TestHubConnections.Create(stack.HubUrl(node), () => Task.FromResult<string?>(token));
        var client = new RecordingClient(connection, userId);
        await Eventually.WithinAsync(connection.StartAsync().ContinueWith(t => { t.GetAwaiter().GetResult(); return true; }, TaskScheduler.Default),
            $"connect to node {node}");
        return client;
    }

    public Task<SubscribeResult> SubscribeAsync(string room, long? afterSeq = null, string? epoch = null) =>
        Eventually.WithinAsync(Connection.InvokeAsync<SubscribeResult>("Subscribe", room, afterSeq, epoch), $"Subscribe {room}");

    public Task UnsubscribeAsync(string room) =>
        Eventually.WithinAsync(Connection.InvokeAsync<object?>("Unsubscribe", room), $"Unsubscribe {room}");

    public Task<PublishResult> PublishAsync(string room, string type, object? data) =>
        Eventually.WithinAsync(Connection.InvokeAsync<PublishResult>("Publish", room, type, data), $"Publish {room}");

    /// <summary>A snapshot of what arrived for <paramref name="room"/>, in arrival order.</summary>
    public IReadOnlyList<RoomEvent> Events(string room)
    {
        if (!_received.TryGetValue(room, out var list))
        {
            return [];
        }

        lock (list)
        {
            return list.ToList();
        }
    }

    /// <summary>A snapshot of the join/leave messages that arrived for <paramref name="room"/>, in arrival order.</summary>
    public IReadOnlyList<PresenceMessage> PresenceMessages(string room)
    {
        if (!_presence.TryGetValue(room, out var list))
        {
            return [];
        }

        lock (list)
        {
            return list.ToList();
        }
    }

    public Task WaitForAsync(string room, int count, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(() => Events(room).Count >= count, $"{UserId} has {count} events of {room} (has {Events(room).Count})", timeout);

    /// <summary>
    /// Waits for the marker event <paramref name="markerId"/> (published after everything a test checks): a room's events
    /// arrive in seq order, so once it is here everything before it has arrived, and a duplicate would have too. Returns the
    /// room's events but the marker, in arrival order (anything after the marker included, so that it fails the check).
    /// </summary>
    public async Task<IReadOnlyList<RoomEvent>> EventsUpToMarkerAsync(string room, string markerId, TimeSpan? timeout = null)
    {
        await Eventually.HoldsAsync(() => Events(room).Any(e => e.Id.ToString() == markerId), $"{UserId} has the marker {markerId} of {room}", timeout);
        return [.. Events(room).Where(e => e.Id.ToString() != markerId)];
    }

    public async ValueTask DisposeAsync() => await Connection.DisposeAsync();
}
