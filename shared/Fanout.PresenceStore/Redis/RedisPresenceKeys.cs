namespace Fanout.PresenceStore.Redis;

/// <summary>
/// Every Redis key of presence, built in one place. The Lua scripts build the same names from the prefix
/// (<see cref="RedisPresenceScripts"/>); keep the two in step.
/// <list type="bullet">
/// <item><c>{p}nodes</c> — sorted set: node id → expiry (ms, Redis clock).</item>
/// <item><c>{p}node:{id}</c> — hash: the node's last heartbeat (address, connections, subscriptions, startedAt, heartbeatAt, expiresAt).</item>
/// <item><c>{p}node:{id}:entries</c> — set: <c>room \n connection</c> of every entry the node holds.</item>
/// <item><c>{p}room:{room}:conns</c> — hash: <c>node \n connection</c> → user id.</item>
/// <item><c>{p}room:{room}:users</c> — hash: user id → connection count.</item>
/// <item><c>{p}room:{room}:meta</c> — hash: user id → <c>joinedAtMs \t name</c>.</item>
/// <item><c>{p}evicting</c> — set: nodes claimed or deregistered whose entries are not all evicted yet.</item>
/// <item><c>{p}transitions</c> — list: <c>j|l \t atMs \t room \t user</c>, oldest first.</item>
/// </list>
/// </summary>
public sealed class RedisPresenceKeys(string prefix)
{
    public string Prefix { get; } = prefix;

    public string Nodes => Prefix + "nodes";

    public string Evicting => Prefix + "evicting";

    public string Node(string nodeId) => Prefix + "node:" + nodeId;

    public string RoomConnections(string room) => Prefix + "room:" + room + ":conns";

    public string RoomUsers(string room) => Prefix + "room:" + room + ":users";

    public string RoomMeta(string room) => Prefix + "room:" + room + ":meta";

    public string NodeEntries(string nodeId) => Node(nodeId) + ":entries";

    public static string EntryMember(PresenceEntryKey key) => key.Room + "\n" + key.ConnectionId;

    public static PresenceEntryKey ParseEntryMember(string member)
    {
        var split = member.IndexOf('\n', StringComparison.Ordinal);
        return new PresenceEntryKey(member[..split], member[(split + 1)..]);
    }
}
