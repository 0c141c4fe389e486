namespace Fanout.Contracts.Wire;

/// <summary>One live realtime node in <c>GET /v1/nodes</c>, with the figures of its last heartbeat.</summary>
public sealed record NodeResponse(
    string NodeId, string Address, int Connections, int Subscriptions, DateTimeOffset StartedAt, DateTimeOffset LastHeartbeatAt,
    int Rooms, double DeliveriesPerSecond);
