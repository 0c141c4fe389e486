namespace Fanout.PresenceStore;

/// <summary>A node whose registration has not lapsed, with the figures of its last heartbeat.</summary>
public sealed record LiveNode(
    string NodeId, string Address, int Connections, int Subscriptions, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeatAt, DateTimeOffset ExpiresAt,
    int Rooms = 0, double DeliveriesPerSecond = 0);
