using System.Globalization;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Fanout.PresenceStore.Redis;

/// <summary>
/// <see cref="IPresenceStore"/> in Redis. Every change is one Lua script (<see cref="RedisPresenceScripts"/>), so counts,
/// join/leave decisions and the transition log stay exact with any number of nodes writing at once.
/// </summary>
public sealed class RedisPresenceStore(RedisConnection redis, IOptions<PresenceOptions> options) : IPresenceStore
{
    private readonly string _prefix = options.Value.KeyPrefix;
    private readonly RedisPresenceKeys _keys = new(options.Value.KeyPrefix);
    private readonly int _maxTransitions = options.Value.MaxPendingTransitions;

    public async Task<AddOutcome> AddAsync(PresenceEntry entry, CancellationToken cancellationToken = default)
    {
        var result = (long)await redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Add, values:
            [_prefix, entry.NodeId, entry.Room, entry.ConnectionId, entry.UserId, entry.Name ?? "", _maxTransitions]).WaitAsync(cancellationToken);
        return result switch
        {
            -1 => AddOutcome.NodeNotRegistered,
            0 => AddOutcome.AlreadyPresent,
            1 => AddOutcome.Added,
            _ => AddOutcome.Joined,
        };
    }

    public async Task<bool> RemoveAsync(string nodeId, PresenceEntryKey key, CancellationToken cancellationToken = default)
    {
        var result = (long)await redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Remove, values:
            [_prefix, nodeId, key.Room, key.ConnectionId, _maxTransitions]).WaitAsync(cancellationToken);
        return result > 0;
    }

    public async Task<IReadOnlyCollection<PresenceEntryKey>> GetNodeEntriesAsync(string nodeId, CancellationToken cancellationToken = default)
    {
        var members = await redis.Database.SetMembersAsync(_keys.NodeEntries(nodeId)).WaitAsync(cancellationToken);
        return members.Select(m => RedisPresenceKeys.ParseEntryMember(m!)).ToList();
    }

    public async Task<EvictionOutcome> EvictNodeAsync(string nodeId, int batchSize, CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Evict, values:
            [_prefix, nodeId, batchSize, _maxTransitions]).WaitAsync(cancellationToken))!;
        var removed = (long)result[0];
        return new EvictionOutcome((int)Math.Max(0, removed), (long)result[1], removed < 0);
    }

    public async Task<IReadOnlyList<PresenceMember>> GetMembersAsync(string room, CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.Members, values: [_prefix, room]).WaitAsync(cancellationToken))!;
        var counts = RedisResults.ToDictionary((RedisResult[])result[0]!);
        var meta = RedisResults.ToDictionary((RedisResult[])result[1]!);
        return counts
            .Select(pair => Member(pair.Key, pair.Value, meta.GetValueOrDefault(pair.Key)))
            .OrderBy(m => m.UserId, StringComparer.Ordinal)
            .ToList();
    }

    public async Task<RoomPresenceStats> GetStatsAsync(string room, CancellationToken cancellationToken = default)
    {
        var users = redis.Database.HashLengthAsync(_keys.RoomUsers(room)).WaitAsync(cancellationToken);
        var connections = redis.Database.HashLengthAsync(_keys.RoomConnections(room)).WaitAsync(cancellationToken);
        return new RoomPresenceStats(room, (int)await users, (int)await connections);
    }

    public async Task<IReadOnlyList<PresenceTransition>> TakeTransitionsAsync(int max, CancellationToken cancellationToken = default)
    {
        var result = (RedisResult[])(await redis.Database.ScriptEvaluateAsync(RedisPresenceScripts.TakeTransitions, values: [_prefix, max]).WaitAsync(cancellationToken))!;
        return result.Select(r => ParseTransition((string)r!)).ToList();
    }

    private static PresenceMember Member(string userId, string count, string? meta)
    {
        var joinedAt = DateTimeOffset.UnixEpoch;
        string? name = null;
        if (meta is not null)
        {
            var tab = meta.IndexOf('\t', StringComparison.Ordinal);
            joinedAt = DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(meta.AsSpan(0, tab), CultureInfo.InvariantCulture));
            name = tab + 1 < meta.Length ? meta[(tab + 1)..] : null;
        }

        return new PresenceMember(userId, int.Parse(count, CultureInfo.InvariantCulture), joinedAt, name);
    }

    /// <summary>Parses <c>j|l \t atMs \t room \t user</c> (the user id last: it may contain anything).</summary>
    private static PresenceTransition ParseTransition(string value)
    {
        var parts = value.Split('\t', 4);
        return new PresenceTransition(
            parts[2],
            parts[3],
            parts[0] == "j" ? PresenceAction.Join : PresenceAction.Leave,
            DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(parts[1], CultureInfo.InvariantCulture)));
    }
}
