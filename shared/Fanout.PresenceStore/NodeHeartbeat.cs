namespace Fanout.PresenceStore;

/// <summary>What a realtime node reports about itself at every heartbeat.</summary>
public sealed record NodeHeartbeat(string NodeId, string Address, int Connections, int Subscriptions, DateTimeOffset StartedAt);
