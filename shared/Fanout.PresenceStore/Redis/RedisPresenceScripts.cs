namespace Fanout.PresenceStore.Redis;

/// <summary>
/// The Lua scripts behind <see cref="RedisPresenceStore"/> and <see cref="RedisNodeRegistry"/>. Each runs atomically
/// in Redis, which is what makes the counts, the join/leave decisions and the transition order exact with any
/// number of writers. Times come from the Redis clock (<c>TIME</c>). <c>ARGV[1]</c> is always the key prefix; key
/// names follow <see cref="RedisPresenceKeys"/>. (The scripts build key names themselves, so presence needs a single
/// Redis primary, not Redis Cluster.)
/// </summary>
internal static class RedisPresenceScripts
{
    private const string Prelude = """
        local p = ARGV[1]
        local function now_ms()
          local t = redis.call('TIME')
          return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
        end
        local function ms(n) return string.format('%.0f', n) end
        local function room_key(room, part) return p .. 'room:' .. room .. ':' .. part end
        local function log_transition(action, room, user, at, max)
          redis.call('RPUSH', p .. 'transitions', action .. '\t' .. ms(at) .. '\t' .. room .. '\t' .. user)
          redis.call('LTRIM', p .. 'transitions', -max, -1)
        end
        -- Removes one entry; returns 0 (was not there), 1 (removed) or 2 (removed, and the user left the room).
        local function remove_entry(node, room, conn, max)
          redis.call('SREM', p .. 'node:' .. node .. ':entries', room .. '\n' .. conn)
          local field = node .. '\n' .. conn
          local user = redis.call('HGET', room_key(room, 'conns'), field)
          if not user then return 0 end
          redis.call('HDEL', room_key(room, 'conns'), field)
          local left = redis.call('HINCRBY', room_key(room, 'users'), user, -1)
          if left > 0 then return 1 end
          redis.call('HDEL', room_key(room, 'users'), user)
          redis.call('HDEL', room_key(room, 'meta'), user)
          log_transition('l', room, user, now_ms(), max)
          return 2
        end

        """;

    /// <summary>ARGV: prefix, node, room, connection, user, name, max transitions → -1 node not registered, 0 present, 1 added, 2 joined.</summary>
    public const string Add = Prelude + """
        local node, room, conn, user, name, max = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], tonumber(ARGV[7])
        if redis.call('EXISTS', p .. 'node:' .. node) == 0 then return -1 end
        if redis.call('HSETNX', room_key(room, 'conns'), node .. '\n' .. conn, user) == 0 then return 0 end
        redis.call('SADD', p .. 'node:' .. node .. ':entries', room .. '\n' .. conn)
        if redis.call('HINCRBY', room_key(room, 'users'), user, 1) > 1 then return 1 end
        local at = now_ms()
        redis.call('HSET', room_key(room, 'meta'), user, ms(at) .. '\t' .. name)
        log_transition('j', room, user, at, max)
        return 2
        """;

    /// <summary>ARGV: prefix, node, room, connection, max transitions → 0 absent, 1 removed, 2 removed and left.</summary>
    public const string Remove = Prelude + """
        return remove_entry(ARGV[2], ARGV[3], ARGV[4], tonumber(ARGV[5]))
        """;

    /// <summary>ARGV: prefix, node, batch, max transitions → {removed, remaining} or {-1, remaining} when the node is back.</summary>
    public const string Evict = Prelude + """
        local node, batch, max = ARGV[2], tonumber(ARGV[3]), tonumber(ARGV[4])
        local entries_key = p .. 'node:' .. node .. ':entries'
        if redis.call('EXISTS', p .. 'node:' .. node) == 1 then return {-1, redis.call('SCARD', entries_key)} end
        local removed = 0
        for _, member in ipairs(redis.call('SRANDMEMBER', entries_key, batch)) do
          local split = string.find(member, '\n', 1, true)
          remove_entry(node, string.sub(member, 1, split - 1), string.sub(member, split + 1), max)
          removed = removed + 1
        end
        return {removed, redis.call('SCARD', entries_key)}
        """;

    /// <summary>ARGV: prefix, node, ttl ms, address, connections, subscriptions, startedAt ms, rooms, deliveries/s → 1 when the node was not registered.</summary>
    public const string Heartbeat = Prelude + """
        local node, ttl = ARGV[2], tonumber(ARGV[3])
        local key = p .. 'node:' .. node
        local now = now_ms()
        local was_registered = redis.call('EXISTS', key)
        redis.call('HSET', key, 'address', ARGV[4], 'connections', ARGV[5], 'subscriptions', ARGV[6],
          'startedAt', ARGV[7], 'rooms', ARGV[8], 'deliveriesPerSecond', ARGV[9], 'heartbeatAt', ms(now), 'expiresAt', ms(now + ttl))
        redis.call('PEXPIRE', key, ttl)
        redis.call('ZADD', p .. 'nodes', now + ttl, node)
        if was_registered == 1 then return 0 end
        return 1
        """;

    /// <summary>ARGV: prefix, node → removes the registration; the node becomes a pending eviction.</summary>
    public const string Deregister = Prelude + """
        redis.call('ZREM', p .. 'nodes', ARGV[2])
        redis.call('DEL', p .. 'node:' .. ARGV[2])
        redis.call('SADD', p .. 'evicting', ARGV[2])
        return 1
        """;

    /// <summary>ARGV: prefix, max → the ids of lapsed nodes, each removed from the registry and made a pending eviction (claimed) here.</summary>
    public const string ClaimLapsed = Prelude + """
        local lapsed = redis.call('ZRANGEBYSCORE', p .. 'nodes', '-inf', now_ms(), 'LIMIT', 0, tonumber(ARGV[2]))
        for _, node in ipairs(lapsed) do
          redis.call('ZREM', p .. 'nodes', node)
          redis.call('DEL', p .. 'node:' .. node)
          redis.call('SADD', p .. 'evicting', node)
        end
        return lapsed
        """;

    /// <summary>ARGV: prefix → {node id, flat hash fields...} per live node.</summary>
    public const string LiveNodes = Prelude + """
        local result = {}
        for _, node in ipairs(redis.call('ZRANGEBYSCORE', p .. 'nodes', '(' .. ms(now_ms()), '+inf')) do
          local fields = redis.call('HGETALL', p .. 'node:' .. node)
          if #fields > 0 then
            table.insert(result, node)
            table.insert(result, fields)
          end
        end
        return result
        """;

    /// <summary>ARGV: prefix, room → {users hash flat, meta hash flat}.</summary>
    public const string Members = Prelude + """
        return {redis.call('HGETALL', room_key(ARGV[2], 'users')), redis.call('HGETALL', room_key(ARGV[2], 'meta'))}
        """;

    /// <summary>ARGV: prefix, max → up to max oldest transitions, removed from the log.</summary>
    public const string TakeTransitions = Prelude + """
        local max = tonumber(ARGV[2])
        local taken = redis.call('LRANGE', p .. 'transitions', 0, max - 1)
        if #taken > 0 then redis.call('LTRIM', p .. 'transitions', #taken, -1) end
        return taken
        """;
}
