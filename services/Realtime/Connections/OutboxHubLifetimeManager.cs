using System.Collections.Concurrent;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Fanout.Realtime.Connections;

/// <summary>
/// SignalR's default lifetime manager with a <see cref="ConnectionOutbox"/> per connection. The default one writes a
/// group send to every member and waits for each write to flush, so one client that stops reading holds up the
/// whole group (and whoever sends to it). Here every send is queued per connection and returns at once (a send to one
/// connection returns when it was written, so a hub method's earlier sends still precede its result); a connection
/// that cannot keep up is disconnected as slow instead of growing the node's memory. A message is serialized once
/// per protocol for all its receivers, as before. Groups are kept here only (every group send is overridden, so the
/// base class's own group lists would be dead weight); a connection holds each group's one name string, and a
/// connection that has gone is never added to a group. Each connection's outbox lives in its <see cref="NodeConnection"/>,
/// the node's one record of the connection, made here when SignalR hands the connection over.
/// </summary>
public sealed class OutboxHubLifetimeManager<THub>(
    ILogger<DefaultHubLifetimeManager<THub>> defaultLogger,
    ILogger<OutboxHubLifetimeManager<THub>> logger,
    IOptions<SlowConsumerOptions> options,
    Memory.OutboxBudget budget,
    NodeConnections connections) : DefaultHubLifetimeManager<THub>(defaultLogger)
    where THub : Hub
{
    private readonly ConcurrentDictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Lock _groupLock = new();

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        connections.Add(new NodeConnection(connection, new ConnectionOutbox(connection, options.Value, budget, logger)));
        return base.OnConnectedAsync(connection);
    }

    public override Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        if (connections.TryRemove(connection.ConnectionId, out var node))
        {
            var outbox = node.Outbox;
            lock (_groupLock)
            {
                foreach (var group in outbox.Groups)
                {
                    RemoveMember(group, connection.ConnectionId);
                }

                outbox.Groups.Clear();
            }

            outbox.Complete();
        }

        return base.OnDisconnectedAsync(connection);
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        lock (_groupLock)
        {
            // Under the lock, so a connection that OnDisconnectedAsync has let go of cannot be added after it left its groups.
            if (connections.TryGet(connectionId, out var node))
            {
                var outbox = node.Outbox;
                var group = _groups.GetOrAdd(groupName, static name => new Group(name));
                group.Members[connectionId] = outbox;
                outbox.Groups.Add(group.Name);
            }
        }

        return Task.CompletedTask;
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (connections.TryGet(connectionId, out var node))
        {
            lock (_groupLock)
            {
                RemoveMember(groupName, connectionId);
                node.Outbox.Groups.Remove(groupName);
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Closes a connection that cannot keep up, as one whose outbox overflowed (reason <c>slow</c>).</summary>
    public void CloseAsSlow(string connectionId)
    {
        if (connections.TryGet(connectionId, out var node))
        {
            node.Outbox.CloseAsSlow();
        }
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        EnqueueAll(Outboxes, methodName, args);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        EnqueueAll(Outboxes.Where(o => !excludedConnectionIds.Contains(o.ConnectionId)), methodName, args);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        connections.TryGet(connectionId, out var node)
            ? node.Outbox.Enqueue(Serialized(methodName, args), awaitWritten: true)
            : Task.CompletedTask;

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        EnqueueAll(connectionIds.Select(id => connections.TryGet(id, out var node) ? node.Outbox : null).OfType<ConnectionOutbox>(), methodName, args);

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        _groups.TryGetValue(groupName, out var group) ? EnqueueAll(group.Members.Values, methodName, args) : Task.CompletedTask;

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        EnqueueAll(
            groupNames.SelectMany(g => _groups.TryGetValue(g, out var group) ? group.Members.Values : []).Distinct(),
            methodName,
            args);

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        _groups.TryGetValue(groupName, out var group)
            ? EnqueueAll(group.Members.Values.Where(o => !excludedConnectionIds.Contains(o.ConnectionId)), methodName, args)
            : Task.CompletedTask;

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        EnqueueAll(Outboxes.Where(o => o.UserIdentifier == userId), methodName, args);

    public override Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        EnqueueAll(Outboxes.Where(o => o.UserIdentifier is { } user && userIds.Contains(user)), methodName, args);

    private IEnumerable<ConnectionOutbox> Outboxes => connections.All.Select(node => node.Outbox);

    private static SerializedHubMessage Serialized(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));

    /// <summary>Queues one message (serialized once per protocol) for every receiver; never waits for any of them.</summary>
    private static Task EnqueueAll(IEnumerable<ConnectionOutbox> receivers, string methodName, object?[] args)
    {
        SerializedHubMessage? message = null;
        foreach (var outbox in receivers)
        {
            message ??= Serialized(methodName, args);
            outbox.Enqueue(message, awaitWritten: false);
        }

        return Task.CompletedTask;
    }

    private void RemoveMember(string groupName, string connectionId)
    {
        if (_groups.TryGetValue(groupName, out var group) && group.Members.TryRemove(connectionId, out _) && group.Members.IsEmpty)
        {
            _groups.TryRemove(groupName, out _);
        }
    }

    /// <summary>A group's members and its name, the one string instance its members hold.</summary>
    private sealed class Group(string name)
    {
        public string Name { get; } = name;

        public ConcurrentDictionary<string, ConnectionOutbox> Members { get; } = new(StringComparer.Ordinal);
    }
}
