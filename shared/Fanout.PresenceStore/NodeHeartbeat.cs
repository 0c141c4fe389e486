namespace Fanout.PresenceStore;

/// <summary>What a realtime node reports about itself at every heartbeat.</summary>
/// <param name="Rooms">Rooms the node has members in.</param>
/// <param name="DeliveriesPerSecond">Events delivered to its connections per second since its previous heartbeat.</param>
public sealed record NodeHeartbeat(
    string NodeId, string Address, int Connections, int Subscriptions, DateTimeOffset StartedAt, int Rooms = 0, double DeliveriesPerSecond = 0);
