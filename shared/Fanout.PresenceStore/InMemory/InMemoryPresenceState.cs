namespace Fanout.PresenceStore.InMemory;

/// <summary>
/// The state behind <see cref="InMemoryNodeRegistry"/> and <see cref="InMemoryPresenceStore"/> for a single process
/// (embedded mode, tests): the same data as the Redis store, under one lock, so every operation is atomic as a
/// Redis script is.
/// </summary>
public sealed class InMemoryPresenceState(TimeProvider clock, int maxTransitions = 100_000)
{
    internal readonly Lock Gate = new();
    internal readonly Dictionary<string, (NodeHeartbeat Heartbeat, DateTimeOffset At, DateTimeOffset ExpiresAt)> Nodes = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, HashSet<PresenceEntryKey>> NodeEntries = new(StringComparer.Ordinal);
    internal readonly Dictionary<string, Room> Rooms = new(StringComparer.Ordinal);
    internal readonly HashSet<string> Evicting = new(StringComparer.Ordinal);
    internal readonly LinkedList<PresenceTransition> Transitions = new();

    internal DateTimeOffset Now => clock.GetUtcNow();

    internal void Log(PresenceTransition transition)
    {
        Transitions.AddLast(transition);
        while (Transitions.Count > maxTransitions)
        {
            Transitions.RemoveFirst();
        }
    }

    /// <summary>Removes one entry (caller holds the lock): 0 absent, 1 removed, 2 removed and the user left.</summary>
    internal int RemoveEntry(string nodeId, PresenceEntryKey key)
    {
        if (NodeEntries.TryGetValue(nodeId, out var entries))
        {
            entries.Remove(key);
        }

        if (!Rooms.TryGetValue(key.Room, out var room) || !room.Connections.Remove((nodeId, key.ConnectionId), out var userId))
        {
            return 0;
        }

        var member = room.Users[userId];
        if (--member.Connections > 0)
        {
            return 1;
        }

        room.Users.Remove(userId);
        if (room.Users.Count == 0)
        {
            Rooms.Remove(key.Room);
        }

        Log(new PresenceTransition(key.Room, userId, PresenceAction.Leave, Now));
        return 2;
    }

    internal sealed class Room
    {
        public Dictionary<(string Node, string Connection), string> Connections { get; } = [];

        public Dictionary<string, Member> Users { get; } = new(StringComparer.Ordinal);
    }

    internal sealed class Member(DateTimeOffset joinedAt, string? name)
    {
        public int Connections { get; set; }

        public DateTimeOffset JoinedAt { get; } = joinedAt;

        public string? Name { get; } = name;
    }
}
