using System.Collections.Concurrent;
using Fanout.Contracts.Wire;
using Fanout.Realtime.Rooms;

namespace Fanout.UnitTests.Rooms;

/// <summary>Records what each connection would receive: group sends reach the group's members at that moment.</summary>
internal sealed class FakeRoomSender : IRoomSender
{
    private readonly ConcurrentDictionary<string, HashSet<string>> _groups = new();

    public ConcurrentDictionary<string, List<long>> Received { get; } = new();

    public Task SendToRoomAsync(string room, RoomEvent roomEvent)
    {
        foreach (var connection in _groups.GetOrAdd(room, _ => []))
        {
            Received.GetOrAdd(connection, _ => []).Add(roomEvent.Seq);
        }

        return Task.CompletedTask;
    }

    public Task SendToConnectionAsync(string connectionId, RoomEvent roomEvent)
    {
        if (Stalled is { } stalled)
        {
            return stalled.Task;
        }

        Received.GetOrAdd(connectionId, _ => []).Add(roomEvent.Seq);
        return Task.CompletedTask;
    }

    public Task AddToRoomAsync(string connectionId, string room)
    {
        _groups.GetOrAdd(room, _ => []).Add(connectionId);
        return Task.CompletedTask;
    }

    public Task RemoveFromRoomAsync(string connectionId, string room)
    {
        _groups.GetOrAdd(room, _ => []).Remove(connectionId);
        return Task.CompletedTask;
    }

    /// <summary>Connections closed as slow.</summary>
    public ConcurrentBag<string> ClosedAsSlow { get; } = [];

    /// <summary>When set, writes to single connections wait for it (a client that does not read).</summary>
    public TaskCompletionSource? Stalled { get; set; }

    public void CloseAsSlow(string connectionId) => ClosedAsSlow.Add(connectionId);

    public IReadOnlyList<long> Of(string connectionId) => Received.TryGetValue(connectionId, out var list) ? list : [];
}
