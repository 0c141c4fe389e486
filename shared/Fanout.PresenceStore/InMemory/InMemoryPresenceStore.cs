namespace Fanout.PresenceStore.InMemory;

/// <summary><see cref="IPresenceStore"/> for a single process (embedded mode, tests).</summary>
public sealed class InMemoryPresenceStore(InMemoryPresenceState state) : IPresenceStore
{
    public Task<AddOutcome> AddAsync(PresenceEntry entry, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            if (!state.Nodes.TryGetValue(entry.NodeId, out var node) || node.ExpiresAt <= state.Now)
            {
                return Task.FromResult(AddOutcome.NodeNotRegistered);
            }

            if (!state.Rooms.TryGetValue(entry.Room, out var room))
            {
                state.Rooms[entry.Room] = room = new InMemoryPresenceState.Room();
            }

            if (!room.Connections.TryAdd((entry.NodeId, entry.ConnectionId), entry.UserId))
            {
                return Task.FromResult(AddOutcome.AlreadyPresent);
            }

            if (!state.NodeEntries.TryGetValue(entry.NodeId, out var entries))
            {
                state.NodeEntries[entry.NodeId] = entries = [];
            }

            entries.Add(entry.Key);
            var joined = !room.Users.TryGetValue(entry.UserId, out var member);
            if (joined)
            {
                room.Users[entry.UserId] = member = new InMemoryPresenceState.Member(state.Now, entry.Name);
                state.Log(new PresenceTransition(entry.Room, entry.UserId, PresenceAction.Join, member.JoinedAt));
            }

            member!.Connections++;
            return Task.FromResult(joined ? AddOutcome.Joined : AddOutcome.Added);
        }
    }

    public Task<bool> RemoveAsync(string nodeId, PresenceEntryKey key, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            return Task.FromResult(state.RemoveEntry(nodeId, key) > 0);
        }
    }

    public Task<IReadOnlyCollection<PresenceEntryKey>> GetNodeEntriesAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            IReadOnlyCollection<PresenceEntryKey> entries = state.NodeEntries.TryGetValue(nodeId, out var held) ? held.ToList() : [];
            return Task.FromResult(entries);
        }
    }

    public Task<EvictionOutcome> EvictNodeAsync(string nodeId, int batchSize, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            state.NodeEntries.TryGetValue(nodeId, out var entries);
            var remaining = entries?.Count ?? 0;
            if (state.Nodes.TryGetValue(nodeId, out var node) && node.ExpiresAt > state.Now)
            {
                return Task.FromResult(new EvictionOutcome(0, remaining, NodeIsBack: true));
            }

            var batch = entries?.Take(batchSize).ToList() ?? [];
            foreach (var key in batch)
            {
                state.RemoveEntry(nodeId, key);
            }

            return Task.FromResult(new EvictionOutcome(batch.Count, entries?.Count ?? 0, NodeIsBack: false));
        }
    }

    public Task<IReadOnlyList<PresenceMember>> GetMembersAsync(string room, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            IReadOnlyList<PresenceMember> members = state.Rooms.TryGetValue(room, out var held)
                ? held.Users.Select(u => new PresenceMember(u.Key, u.Value.Connections, u.Value.JoinedAt, u.Value.Name))
                    .OrderBy(m => m.UserId, StringComparer.Ordinal).ToList()
                : [];
            return Task.FromResult(members);
        }
    }

    public Task<RoomPresenceStats> GetStatsAsync(string room, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            return Task.FromResult(state.Rooms.TryGetValue(room, out var held)
                ? new RoomPresenceStats(room, held.Users.Count, held.Connections.Count)
                : new RoomPresenceStats(room, 0, 0));
        }
    }

    public Task<IReadOnlyList<PresenceTransition>> TakeTransitionsAsync(int max, CancellationToken cancellationToken = default)
    {
        lock (state.Gate)
        {
            var taken = new List<PresenceTransition>(Math.Min(max, state.Transitions.Count));
            while (taken.Count < max && state.Transitions.First is { } first)
            {
                taken.Add(first.Value);
                state.Transitions.RemoveFirst();
            }

            return Task.FromResult<IReadOnlyList<PresenceTransition>>(taken);
        }
    }
}
